// Idea Jam composer comforts, on every textarea marked data-composer="idea|comment": a
// character counter against the posting limit, a Markdown preview rendered by the server
// (the same sanitiser as the stored HTML), and a way back in when a post is refused because
// the session ended. The form itself works without any of this.
"use strict";

(() => {
  const body = document.body;
  const PREVIEW_DELAY = 500;

  let words = {};
  try { words = JSON.parse(body.dataset.composerText || "{}"); } catch (_) { words = {}; }
  const say = (name, fallback) => words[name] || fallback;
  const limits = words.limits || {};
  const lang = document.documentElement.lang || undefined;
  const number = (n) => { try { return n.toLocaleString(lang); } catch (_) { return String(n); } };
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  // Counted as posting counts: code points, after line ends are unified and the ends trimmed.
  const lengthOf = (value) => [...value.normalize("NFC").replace(/\r\n?/g, "\n").trim()].length;

  function counter(area, limit) {
    const el = document.createElement("span");
    el.className = "char-count";
    el.dataset.charCount = "";
    const update = () => {
      const length = lengthOf(area.value);
      const over = length - limit;
      el.classList.toggle("over", over > 0);
      el.textContent = over > 0
        ? say("over", "{n} characters over the limit").replace("{n}", number(over))
        : say("count", "{count} / {limit}").replace("{count}", number(length)).replace("{limit}", number(limit));
      if (over > 0) area.setAttribute("aria-invalid", "true");
      else if (area.dataset.composerInvalid) area.removeAttribute("aria-invalid");
      if (over > 0) area.dataset.composerInvalid = "1";
    };
    area.addEventListener("input", update);
    update();
    return el;
  }

  function previewer(area, kind) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button preview-toggle";
    button.dataset.previewToggle = "";
    button.setAttribute("aria-pressed", "false");
    button.textContent = say("preview", "Preview");
    const box = document.createElement("div");
    box.className = "composer-preview card";
    box.dataset.preview = "";
    box.hidden = true;
    box.setAttribute("aria-live", "polite");
    const heading = document.createElement("p");
    heading.className = "small-heading";
    heading.textContent = say("previewHeading", "Preview");
    const content = document.createElement("div");
    content.className = "prose";
    content.dataset.previewContent = "";
    box.append(heading, content);
    button.setAttribute("aria-controls", box.id = `preview-${area.id || Math.random().toString(36).slice(2)}`);

    let asked = 0;
    let timer = null;
    let shown = null;
    async function render() {
      const text = area.value;
      if (text === shown) return;
      if (!text.trim()) {
        shown = text;
        content.replaceChildren(Object.assign(document.createElement("p"), {
          className: "hint", textContent: say("previewEmpty", "Nothing to preview yet.") }));
        return;
      }
      const mine = ++asked;
      const form = new FormData();
      form.set("kind", kind);
      form.set("body", text);
      let data = null;
      let failed = false;
      try {
        const response = await fetch(body.dataset.previewUrl || "/preview", {
          method: "POST", body: form, credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        });
        data = await response.json().catch(() => null);
        failed = !response.ok;
      } catch (_) {
        failed = true;
      }
      if (mine !== asked) return; // a newer preview is on its way
      if (failed || !data || typeof data.html !== "string") {
        const message = data?.error?.fields?.body || data?.error?.message || say("previewFailed", "The preview is not available.");
        content.replaceChildren(Object.assign(document.createElement("p"), { className: "field-error", textContent: message }));
        shown = null;
        return;
      }
      shown = text;
      content.innerHTML = data.html; // sanitised by the server, exactly as it would be stored
    }

    button.addEventListener("click", () => {
      const open = box.hidden;
      box.hidden = !open;
      button.setAttribute("aria-pressed", open ? "true" : "false");
      button.textContent = open ? say("hidePreview", "Hide preview") : say("preview", "Preview");
      if (open) render();
    });
    area.addEventListener("input", () => {
      if (box.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(render, PREVIEW_DELAY);
    });
    return { button, box };
  }

  function attach(root) {
    const areas = root.querySelectorAll ? root.querySelectorAll("textarea[data-composer]") : [];
    for (const area of areas) {
      if (area.dataset.composerOn) continue;
      const kind = area.dataset.composer;
      const limit = Number(limits[kind] || area.maxLength || 0);
      if (!limit) continue;
      area.dataset.composerOn = "1";
      const bar = document.createElement("div");
      bar.className = "composer-bar";
      const { button, box } = previewer(area, kind);
      bar.append(counter(area, limit), button);
      const field = area.closest(".field") || area;
      const after = field.querySelector(".field-error") || field.querySelector(".hint") || area;
      after.after(bar, box);
    }
    const forms = root.querySelectorAll ? root.querySelectorAll("form[data-comment-form]") : [];
    for (const form of forms) {
      if (form.dataset.refusalsOn) continue;
      form.dataset.refusalsOn = "1";
      form.addEventListener("ideajam:refused", (event) => {
        // The session ended while typing: the draft is kept, the way back goes through login.
        const { status, code } = event.detail || {};
        if (status !== 401 && code !== "csrf_failed") return;
        const errorEl = form.querySelector("[data-form-error]");
        if (!errorEl) return;
        const link = document.createElement("a");
        link.href = window.IdeaJamDrafts ? window.IdeaJamDrafts.loginUrl() : "/login";
        link.textContent = say("logIn", "Log in");
        errorEl.replaceChildren(`${say("loginAgain", "Your session has ended.")} `, link);
        errorEl.hidden = false;
      });
    }
  }

  window.IdeaJamComposer = { attach };
  document.addEventListener("DOMContentLoaded", () => attach(document));
})();
