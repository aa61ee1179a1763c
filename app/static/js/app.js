// Idea Jam: small enhancements on top of pages that work without JavaScript.
"use strict";

(() => {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  async function postForm(form, extra) {
    const body = new FormData(form);
    if (extra) for (const [k, v] of Object.entries(extra)) body.set(k, v);
    const response = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    });
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    return { response, data };
  }

  function errorMessage(data, fallback) {
    return data?.error?.message || fallback || document.body.dataset.errorText || "Something went wrong.";
  }

  function showError(el, message) {
    if (!el) return;
    el.textContent = message || "";
    el.hidden = !message;
  }

  // --- votes ------------------------------------------------------------------------------
  function updateVoteWidget(widget, result) {
    const set = (sel, value) => { const el = widget.querySelector(sel); if (el) el.textContent = String(value); };
    set("[data-score]", result.score);
    set("[data-up]", result.up_count);
    set("[data-down]", result.down_count);
    for (const button of widget.querySelectorAll("button[data-direction]")) {
      const mine = button.dataset.direction === "up" ? 1 : -1;
      const pressed = result.my_vote === mine;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.value = pressed ? "none" : button.dataset.direction;
    }
  }

  function enhanceVotes(root) {
    for (const form of root.querySelectorAll("form[data-vote-form]")) {
      if (form.dataset.enhanced) continue;
      form.dataset.enhanced = "1";
      form.addEventListener("submit", async (event) => {
        const button = event.submitter;
        if (!button || !button.value) return;
        event.preventDefault();
        const widget = form.closest("[data-vote-widget]");
        const errorEl = widget?.querySelector("[data-vote-error]");
        button.setAttribute("aria-busy", "true");
        try {
          const { response, data } = await postForm(form, { value: button.value });
          if (response.ok && data) {
            updateVoteWidget(widget, data);
            showError(errorEl, "");
          } else {
            showError(errorEl, errorMessage(data, form.dataset.errorText));
          }
        } catch (_) {
          // Network trouble: submit the plain way, keeping the chosen value.
          const hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = "value";
          hidden.value = button.value;
          form.appendChild(hidden);
          HTMLFormElement.prototype.submit.call(form);
        } finally {
          button.removeAttribute("aria-busy");
        }
      });
    }
  }

  // --- comments ---------------------------------------------------------------------------
  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function enhanceComments(root) {
    for (const form of root.querySelectorAll("form[data-comment-form]")) {
      if (form.dataset.enhanced) continue;
      form.dataset.enhanced = "1";
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const errorEl = form.querySelector("[data-form-error]");
        const submit = form.querySelector('button[type="submit"]');
        const textarea = form.querySelector("textarea");
        if (submit) submit.disabled = true;
        let result;
        try {
          result = await postForm(form);
        } catch (_) {
          if (submit) submit.disabled = false;
          HTMLFormElement.prototype.submit.call(form); // network error: plain submit
          return;
        }
        if (submit) submit.disabled = false;
        const { response, data } = result;
        if (!response.ok || !data || !data.html) {
          const fields = data?.error?.fields || {};
          showError(errorEl, fields.body || errorMessage(data));
          // The words stay in the form and in its draft (drafts.js); composer.js adds a way
          // back through login when the session has ended.
          form.dispatchEvent(new CustomEvent("ideajam:refused", {
            detail: { status: response.status, code: data?.error?.code } }));
          return;
        }
        showError(errorEl, "");
        const list = (data.parent_id && document.querySelector(`[data-replies-for="${data.parent_id}"]`))
          || document.querySelector("[data-comment-list]");
        const nodes = fragment(data.html);
        const added = nodes.firstElementChild;
        // The live stream may have shown this comment already: the server's version replaces it.
        const shown = added && added.id ? document.getElementById(added.id) : null;
        if (shown) shown.replaceWith(nodes);
        else list.appendChild(nodes);
        document.querySelector("[data-no-comments]")?.remove();
        if (textarea) textarea.value = "";
        form.dispatchEvent(new CustomEvent("ideajam:posted")); // its draft can go
        textarea?.dispatchEvent(new Event("input", { bubbles: true })); // the counter reads 0 again
        const details = form.closest("details");
        if (details) details.open = false;
        const count = document.querySelector("[data-comment-count]");
        if (count && typeof data.comment_count === "number") count.textContent = String(data.comment_count);
        if (added) {
          added.classList.add("is-new");
          enhance(added);
        }
      });
    }
  }

  // --- countdowns -------------------------------------------------------------------------
  const pad = (n) => String(n).padStart(2, "0");

  function tickCountdowns() {
    const now = Date.now();
    for (const el of document.querySelectorAll("[data-countdown]")) {
      const target = Date.parse(el.dataset.countdown);
      if (Number.isNaN(target)) continue;
      let left = Math.floor((target - now) / 1000);
      if (left <= 0) {
        if (!el.classList.contains("ended")) {
          el.classList.add("ended");
          el.textContent = el.dataset.ended || "Reload the page.";
        }
        continue;
      }
      const days = Math.floor(left / 86400); left -= days * 86400;
      const hours = Math.floor(left / 3600); left -= hours * 3600;
      const minutes = Math.floor(left / 60);
      const seconds = left - minutes * 60;
      const template = el.dataset.template || "{days}d {hours}h {minutes}m {seconds}s";
      let text = template
        .replace("{days}", String(days)).replace("{hours}", pad(hours))
        .replace("{minutes}", pad(minutes)).replace("{seconds}", pad(seconds));
      if (days === 0) text = text.replace(/^\s*0\s*\S*?\s+/, "");
      el.textContent = text;
    }
  }

  // --- small helpers ----------------------------------------------------------------------
  function enhanceSelectOnFocus(root) {
    for (const input of root.querySelectorAll("input[data-select-on-focus]")) {
      input.addEventListener("focus", () => input.select());
    }
  }

  // --- moving an idea backwards asks first ------------------------------------------------
  // The server refuses a backwards move without "confirm" (and shows a checkbox for it);
  // this asks in place and sends the confirmation along. The statuses that count as
  // backwards come from the server, in data-backward.
  function isBackward(list, status) {
    try { return JSON.parse(list || "[]").includes(status); } catch (_) { return false; }
  }

  function confirmBackward(form) {
    const select = form.querySelector('select[name="status"], select[name="outcome"]');
    const ticked = form.querySelector('input[name="confirm"]:checked');
    if (!select || ticked || !isBackward(form.dataset.backward, select.value)) return true;
    if (!window.confirm(form.dataset.confirmText || "?")) return false;
    let input = form.querySelector('input[type="hidden"][name="confirm"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirm";
      form.append(input);
    }
    input.value = "y";
    return true;
  }

  function enhanceBackwardForms(root) {
    for (const form of root.querySelectorAll("form[data-backward]")) {
      if (form.dataset.backwardEnhanced) continue;
      form.dataset.backwardEnhanced = "1";
      form.addEventListener("submit", (event) => {
        if (!confirmBackward(form)) event.preventDefault();
      });
    }
  }

  // --- the shortlisting board: drag a card to another column ------------------------------
  // The per-card "Move to" form does the same without a mouse; this only saves the clicks.
  function enhanceBoard(root) {
    const board = root.querySelector ? root.querySelector("[data-board]") : null;
    if (!board || board.dataset.enhanced) return;
    board.dataset.enhanced = "1";
    let dragged = null;
    board.addEventListener("dragstart", (event) => {
      dragged = event.target.closest(".board-card");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.setData("text/plain", dragged.dataset.ideaId);
      event.dataTransfer.effectAllowed = "move";
    });
    board.addEventListener("dragend", () => {
      dragged?.classList.remove("dragging");
      for (const column of board.querySelectorAll(".drop-target")) column.classList.remove("drop-target");
    });
    board.addEventListener("dragover", (event) => {
      const column = event.target.closest(".board-column");
      if (!column || !dragged) return;
      event.preventDefault();
      column.classList.add("drop-target");
    });
    board.addEventListener("dragleave", (event) => {
      event.target.closest(".board-column")?.classList.remove("drop-target");
    });
    board.addEventListener("drop", async (event) => {
      const column = event.target.closest(".board-column");
      if (!column || !dragged) return;
      event.preventDefault();
      column.classList.remove("drop-target");
      const card = dragged;
      const status = column.dataset.status;
      if (card.closest(".board-column") === column) return;
      let confirmed = false;
      try {
        const backward = JSON.parse(board.dataset.backward || "{}");
        confirmed = (backward[card.closest(".board-column").dataset.status] || []).includes(status);
      } catch (_) { confirmed = false; }
      if (confirmed && !window.confirm(board.dataset.confirmText || "?")) return;
      let note = "";
      if (status === "declined") {
        note = window.prompt(board.dataset.notePrompt || "Why?") || "";
        if (!note.trim()) return;
      }
      const body = new FormData();
      body.append("idea_ids", card.dataset.ideaId);
      body.append("status", status);
      body.append("note", note);
      if (confirmed) body.append("confirm", "y");
      const response = await fetch(board.dataset.moveUrl, {
        method: "POST", body, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      });
      if (!response.ok) {
        let data = null;
        try { data = await response.json(); } catch (_) { data = null; }
        window.alert(errorMessage(data));
        return;
      }
      const from = card.closest(".board-column");
      column.querySelector(".board-cards").prepend(card);
      const select = card.querySelector("select[name=status]");
      if (select) select.value = status;
      const cardForm = card.querySelector("form[data-backward]");
      if (cardForm && board.dataset.backward) {
        try { cardForm.dataset.backward = JSON.stringify(JSON.parse(board.dataset.backward)[status] || []); } catch (_) { /* keep */ }
      }
      for (const col of [from, column]) {
        const count = col.querySelector("[data-column-count]");
        if (count) count.textContent = String(col.querySelectorAll(".board-card").length);
      }
    });
  }

  // --- comparing pairs: ← / → pick, S skips (not while typing a reason) ----------------------
  const compareKeys = { ArrowLeft: "left", ArrowRight: "right", s: "skip", S: "skip" };
  document.addEventListener("keydown", (event) => {
    const form = document.querySelector("[data-compare]");
    const choice = compareKeys[event.key];
    if (!form || !choice || event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const button = form.querySelector(`[data-choice="${choice}"]`);
    if (!button || form.dataset.submitting) return;
    event.preventDefault();
    form.dataset.submitting = "1"; // one answer per pair, however fast the keys come
    button.classList.add("chosen");
    form.requestSubmit(button);
  });

  // --- similar ideas while writing one -----------------------------------------------------
  // A short pause after typing, the form's words go to the campaign's similar-ideas look-up;
  // the box lists what comes back (titles, snippets and votes as text, never as HTML).
  const SIMILAR_DELAY = 400;
  const SIMILAR_MIN_CHARS = 6;
  const SIMILAR_BODY_CHARS = 1500;

  function similarItem(box, idea) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = idea.url;
    link.textContent = idea.title;
    const votes = document.createElement("span");
    votes.className = "meta";
    const template = idea.up_count === 1 ? box.dataset.one : box.dataset.many;
    votes.textContent = ` · ${(template || "{n}").replace("{n}", idea.up_count)}`;
    const snippet = document.createElement("p");
    snippet.className = "similar-snippet";
    snippet.textContent = idea.snippet;
    item.append(link, votes, snippet);
    return item;
  }

  function enhanceSimilarIdeas(root) {
    const box = root.querySelector ? root.querySelector("[data-similar-ideas]") : null;
    if (!box || box.dataset.enhanced) return;
    const form = box.closest("form");
    const title = form?.querySelector('[name="title"]');
    const text = form?.querySelector('[name="body"]');
    const list = box.querySelector("[data-similar-list]");
    if (!title || !text || !list) return;
    box.dataset.enhanced = "1";
    let timer = null;
    let asked = 0;
    let lastQuery = "";

    async function lookUp() {
      const words = title.value.trim();
      const body = text.value.trim().slice(0, SIMILAR_BODY_CHARS);
      if (words.length + body.length < SIMILAR_MIN_CHARS) {
        box.hidden = true;
        return;
      }
      const url = new URL(box.dataset.url, window.location.href);
      url.searchParams.set("title", words);
      url.searchParams.set("body", body);
      if (url.href === lastQuery) return;
      lastQuery = url.href;
      const mine = ++asked;
      const data = await fetchJson(url);
      if (mine !== asked || !data) return; // a newer look-up is on its way, or this one failed
      list.replaceChildren(...(data.items || []).map((idea) => similarItem(box, idea)));
      box.hidden = list.children.length === 0;
    }

    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, SIMILAR_DELAY);
    };
    title.addEventListener("input", later);
    text.addEventListener("input", later);
    if (title.value || text.value) later(); // the form came back with an error: words are in
  }

  // The shortcuts listen from the moment this script runs; the form says so, for people
  // and tests that must not press a key into a page whose script is still on its way.
  function markShortcutsReady(root) {
    for (const form of root.querySelectorAll("form[data-compare]")) form.dataset.keysReady = "1";
  }

  // A JSON look-up of ours (same origin): its data, or null when it failed in any way.
  async function fetchJson(url) {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      return response.ok ? await response.json() : null;
    } catch (_) {
      return null;
    }
  }

  function enhance(root) {
    markShortcutsReady(root);
    window.IdeaJamDrafts?.attach(root);
    window.IdeaJamComposer?.attach(root);
    enhanceSimilarIdeas(root);
    enhanceBoard(root);
    enhanceBackwardForms(root);
    enhanceVotes(root);
    enhanceComments(root);
    enhanceSelectOnFocus(root);
  }

  // live.js swaps in fresh content and asks for it to be enhanced again.
  window.IdeaJam = { enhance, fetchJson };

  // --- the reader's time zone ------------------------------------------------------------
  // The browser's zone goes into a cookie that the server reads for visitors and for people
  // who did not choose one (pages without JavaScript use the stored or default zone, and
  // say which). A registration form's zone menu starts at it.
  function rememberZone() {
    let zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (_) { zone = ""; }
    if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) return;
    const stored = document.cookie.split("; ").find((part) => part.startsWith("tz="));
    if (stored !== `tz=${zone}`) {
      document.cookie = `tz=${zone}; path=/; max-age=31536000; SameSite=Lax`;
    }
    for (const select of document.querySelectorAll("select[data-detect-zone]")) {
      if (!select.value && [...select.options].some((option) => option.value === zone)) select.value = zone;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    rememberZone();
    enhance(document);
    if (document.querySelector("[data-countdown]")) {
      tickCountdowns();
      setInterval(tickCountdowns, 1000);
    }
  });
})();
