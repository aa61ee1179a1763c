// Idea Jam drafts: what someone writes in a new idea, comment or reply is kept in this browser
// (localStorage), per person and per place (campaign, idea, parent comment), until it is posted.
// It comes back after a reload, a crash, an ended session or a refused post. A form marks
// itself with data-draft-key; the server names a draft posted the plain way on the next page
// (<meta name="drafts-posted">), and a post made by script clears it at once ("ideajam:posted").
"use strict";

(() => {
  const body = document.body;
  const userId = body.dataset.userId;
  const PREFIX = "ideajam.draft.";
  const MAX_AGE_MS = 30 * 24 * 3600 * 1000; // an abandoned draft does not stay for ever
  const SAVE_DELAY = 400;

  let words = {};
  try { words = JSON.parse(body.dataset.composerText || "{}"); } catch (_) { words = {}; }
  const say = (name, fallback) => words[name] || fallback;

  const storage = (() => {
    try {
      const store = window.localStorage;
      store.setItem(`${PREFIX}probe`, "1");
      store.removeItem(`${PREFIX}probe`);
      return store;
    } catch (_) {
      return null; // private mode, storage full or switched off
    }
  })();

  // Drafts belong to the person who wrote them: on a shared browser, another account never sees them.
  const storageKey = (draftKey) => (userId && draftKey ? `${PREFIX}u${userId}.${draftKey}` : null);
  const keyOf = (form) => storageKey(form.dataset.draftKey);

  // The fields a draft keeps: what a person types (not tokens, choices or check boxes).
  function textFields(form) {
    return [...form.elements].filter((el) => el.name && !el.readOnly && !el.disabled && (
      el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && ["text", "search", ""].includes(el.getAttribute("type") || ""))));
  }

  function read(key) {
    if (!storage || !key) return null;
    try {
      const draft = JSON.parse(storage.getItem(key) || "null");
      return draft && typeof draft.fields === "object" ? draft : null;
    } catch (_) {
      return null;
    }
  }

  function statusEl(form) {
    let el = form.querySelector("[data-draft-status]");
    if (!el) {
      el = document.createElement("p");
      el.className = "draft-status";
      el.dataset.draftStatus = "";
      el.setAttribute("aria-live", "polite");
      const actions = form.querySelector(".actions");
      if (actions) actions.before(el); else form.append(el);
    }
    return el;
  }

  function showState(form, state) {
    const el = statusEl(form);
    el.dataset.state = state;
    el.textContent = state ? say(state, "") : "";
  }

  function save(form) {
    const key = keyOf(form);
    if (!key) return;
    if (!storage) { showState(form, "unsaved"); return; }
    const fields = {};
    let any = false;
    for (const el of textFields(form)) {
      fields[el.name] = el.value;
      if (el.value.trim()) any = true;
    }
    try {
      if (any) storage.setItem(key, JSON.stringify({ fields, saved: Date.now() }));
      else storage.removeItem(key);
      showState(form, any ? "saved" : "");
    } catch (_) {
      showState(form, "unsaved");
    }
  }

  function clear(form) {
    const key = keyOf(form);
    if (storage && key) storage.removeItem(key);
    clearTimeout(form._draftTimer);
    showState(form, "");
  }

  function restore(form) {
    const draft = read(keyOf(form));
    if (!draft) return false;
    const fields = textFields(form);
    // The server sent the form back with what was posted (a refused post): that is newer.
    if (fields.some((el) => el.value.trim())) return false;
    let restored = false;
    for (const el of fields) {
      const value = draft.fields[el.name];
      if (typeof value === "string" && value) {
        el.value = value;
        el.dispatchEvent(new Event("input", { bubbles: true })); // counters, similar ideas
        restored = true;
      }
    }
    if (restored) {
      showState(form, "restored");
      const details = form.closest("details");
      if (details) details.open = true; // a reply's form is folded away
    }
    return restored;
  }

  function attach(root) {
    if (!userId) return;
    const forms = root.matches && root.matches("form[data-draft-key]") ? [root]
      : [...(root.querySelectorAll ? root.querySelectorAll("form[data-draft-key]") : [])];
    for (const form of forms) {
      if (form.dataset.draftsOn) continue;
      form.dataset.draftsOn = "1";
      // Words typed before this script ran (a slow page) are saved now, not at the next key.
      if (!restore(form) && textFields(form).some((el) => el.value !== el.defaultValue)) save(form);
      form.addEventListener("input", (event) => {
        if (!textFields(form).includes(event.target) || !event.isTrusted) return;
        showState(form, "saving");
        clearTimeout(form._draftTimer);
        form._draftTimer = setTimeout(() => save(form), SAVE_DELAY);
      });
      // A plain post may be refused (expired form, too many posts, a busy server): keep it.
      form.addEventListener("submit", () => { clearTimeout(form._draftTimer); save(form); });
      form.addEventListener("ideajam:posted", () => clear(form));
    }
  }

  function forgetPosted() {
    const meta = document.querySelector('meta[name="drafts-posted"]');
    if (!meta || !storage) return;
    for (const key of meta.content.split(/\s+/)) {
      const full = storageKey(key);
      if (full) storage.removeItem(full);
    }
  }

  function forgetOld() {
    if (!storage) return;
    const now = Date.now();
    for (let i = storage.length - 1; i >= 0; i -= 1) {
      const key = storage.key(i);
      if (!key || !key.startsWith(PREFIX)) continue;
      const draft = read(key);
      if (!draft || !(now - Number(draft.saved || 0) < MAX_AGE_MS)) storage.removeItem(key);
    }
  }

  // --- text that can no longer be posted -------------------------------------------------
  // When a form must go (the campaign closed, comments were locked), its words stay on the
  // page, read-only, with a "Copy" button; the draft also stays in the browser.
  function copyButton(area) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-quiet";
    button.textContent = say("copy", "Copy");
    button.addEventListener("click", async () => {
      area.focus();
      area.select();
      let done = false;
      try {
        await navigator.clipboard.writeText(area.value);
        done = true;
      } catch (_) {
        try { done = document.execCommand("copy"); } catch (__) { done = false; }
      }
      button.textContent = done ? say("copied", "Copied") : say("copyFailed", "Select the text and copy it.");
    });
    return button;
  }

  function keptText(form) {
    const box = document.createElement("div");
    box.className = "kept-text card";
    box.dataset.keptText = form.dataset.draftKey || form.getAttribute("action") || "";
    const message = document.createElement("p");
    message.className = "notice notice-warning";
    message.setAttribute("role", "status");
    const isIdea = (form.dataset.draftKey || "").startsWith("idea:");
    message.textContent = isIdea
      ? say("keptIdea", "This campaign no longer takes new ideas. What you wrote is kept below.")
      : say("keptComment", "Comments are closed here now. What you wrote is kept below.");
    box.append(message);
    for (const el of form.querySelectorAll("textarea, input")) {
      const type = el.getAttribute("type") || "";
      if (el.type === "hidden" || el.type === "checkbox" || el.type === "radio" || type === "submit") continue;
      if (!el.value.trim()) continue;
      const id = `kept-${Math.random().toString(36).slice(2)}`;
      const label = document.createElement("label");
      label.className = "label";
      label.htmlFor = id;
      label.textContent = (el.labels && el.labels[0] ? el.labels[0].textContent : el.name).trim();
      const area = document.createElement("textarea");
      area.id = id;
      area.readOnly = true;
      area.rows = Math.min(8, Math.max(2, el.value.split("\n").length));
      area.value = el.value;
      const field = document.createElement("div");
      field.className = "field";
      field.append(label, area, copyButton(area));
      box.append(field);
    }
    return box;
  }

  window.IdeaJamDrafts = { attach, clear, save, keptText, textFields, loginUrl: () => loginUrl() };

  function loginUrl() {
    const url = new URL(body.dataset.loginUrl || "/login", window.location.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    return url.pathname + url.search;
  }

  // Before any form is filled in (scripts are deferred: the page is parsed by now).
  forgetPosted();
  forgetOld();
  document.addEventListener("DOMContentLoaded", () => attach(document));
})();
