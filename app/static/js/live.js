// Idea Jam live updates: follows a campaign's stream over Socket.IO.
// Every entry carries the stream's number (seq); a gap or a reconnect triggers a catch-up,
// and entries already applied are skipped, so nothing is missed and nothing doubled.
"use strict";

(() => {
  const body = document.body;
  const campaignId = Number(body.dataset.campaignId || 0);
  const ideaId = Number(body.dataset.ideaId || 0);
  const signedIn = body.dataset.userId !== undefined;
  if (!window.io || (!campaignId && !signedIn)) return;

  const text = (name, fallback) => body.dataset[name] || fallback;
  let lastSeq = Number(body.dataset.streamSeq || 0);
  let catchingUp = false;
  let newIdeas = 0;

  // --- connection indicator ---------------------------------------------------------------
  const status = document.querySelector("[data-live-status]");
  function showStatus(state) {
    if (!status) return;
    status.hidden = false;
    status.dataset.state = state;
    const label = status.querySelector("[data-live-label]");
    if (label) label.textContent = status.dataset[state] || state;
  }

  // --- applying stream entries ------------------------------------------------------------
  const byId = (id) => document.getElementById(id);
  const setText = (root, selector, value) => {
    if (!root) return;
    for (const el of root.querySelectorAll(selector)) el.textContent = String(value);
  };

  function applyCounts(payload) {
    for (const [id, counts] of Object.entries(payload.ideas || {})) {
      for (const root of document.querySelectorAll(`[data-idea-counts="${id}"]`)) {
        setText(root, "[data-score]", counts.score);
        setText(root, "[data-up]", counts.up_count);
        setText(root, "[data-down]", counts.down_count);
      }
    }
  }

  function applyCommentCount(id, count) {
    for (const el of document.querySelectorAll(`[data-comment-count-for="${id}"]`)) {
      const template = count === 1 ? el.dataset.one : el.dataset.many;
      el.textContent = template ? template.replace("{n}", count) : String(count);
    }
  }

  // A comment that changed is shown as the server shows it to this reader (the same template
  // as the page: time, Reply, Flag, moderation): fetched per reader, so what each one may see
  // and do is decided for them when it is shown. Only the newest fetch per comment is applied.
  const commentFetches = new Map();

  async function fetchComment(id) {
    const list = document.querySelector("[data-comment-fragment-url]");
    if (!list) return null;
    const mine = (commentFetches.get(id) || 0) + 1;
    commentFetches.set(id, mine);
    let html = null;
    try {
      const url = list.dataset.commentFragmentUrl.replace("/0/", `/${Number(id)}/`);
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.ok) html = await response.text();
    } catch (_) {
      html = null;
    }
    if (html === null || commentFetches.get(id) !== mine) return null;
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const element = template.content.firstElementChild;
    return element && element.id === `comment-${id}` ? element : null;
  }

  function blankComment(id, message) {
    // Until the reader's own view arrives: the words are gone from the stream, so from here too.
    const existing = byId(`comment-${id}`);
    const content = existing?.querySelector(".comment-body");
    if (content) content.textContent = message;
  }

  async function applyComment(kind, event) {
    if (event.payload.comment_count !== undefined) applyCommentCount(event.idea_id, event.payload.comment_count);
    if (event.idea_id !== ideaId) return;
    const comment = event.payload.comment;
    const id = comment ? comment.id : event.payload.comment_id;
    if (!id) return;
    if (kind === "comment.hidden") blankComment(id, text("hiddenText", "This comment was hidden by a moderator."));
    if (kind === "comment.deleted") blankComment(id, text("deletedText", "This comment was deleted."));
    if (kind === "comment.created" && byId(`comment-${id}`)) return; // our own, inserted by the form
    const fresh = await fetchComment(id);
    if (!fresh) return; // not for this reader, or the network failed: the next page load shows it
    const existing = byId(`comment-${id}`);
    if (existing) {
      window.IdeaJamRefresh.update(existing, fresh); // a reply being written there stays
      return;
    }
    if (kind !== "comment.created" && kind !== "comment.restored") return;
    // A new thread belongs at the end of the discussion: on an earlier page, only the count changes.
    const parentId = comment ? comment.parent_id : null;
    const list = parentId
      ? document.querySelector(`[data-replies-for="${parentId}"]`)
      : document.querySelector("[data-comment-list]:not([data-live-append=off])");
    if (!list) return;
    list.append(fresh);
    document.querySelector("[data-no-comments]")?.remove();
    if (window.IdeaJam) window.IdeaJam.enhance(fresh);
  }

  function applyIdeaEdited(summary) {
    const card = byId(`idea-${summary.id}`);
    if (card) setText(card, ".idea-title a", summary.title);
    if (summary.id === ideaId) {
      setText(document, "[data-idea-title]", summary.title);
      const bodyEl = document.querySelector("[data-idea-body]");
      if (bodyEl) bodyEl.innerHTML = summary.body_html; // sanitised by the server
    }
  }

  let statusLabels = {};
  try { statusLabels = JSON.parse(body.dataset.statusLabels || "{}"); } catch (_) { statusLabels = {}; }

  function applyStatus(id, status) {
    for (const badge of document.querySelectorAll(`[data-status-for="${id}"]`)) {
      badge.className = `badge status-badge status-${status}`;
      badge.textContent = statusLabels[status] || status;
    }
  }

  function announceNewIdea() {
    const banner = document.querySelector("[data-new-ideas]");
    if (!banner) return;
    newIdeas += 1;
    banner.hidden = false;
    setText(banner, "[data-new-ideas-count]", newIdeas);
    const template = newIdeas === 1 ? banner.dataset.one : banner.dataset.many;
    setText(banner, "[data-new-ideas-label]", (template || "{n} new ideas").replace("{n}", newIdeas));
  }

  function percent(value) { return `${Math.round(value * 100)} %`; }

  function applyRanking(payload) {
    // The leaderboard page: the entry carries ids and numbers only (titles stay out of the
    // stream, so an idea hidden later leaves no trace there). Reorder the rows we have and
    // update their numbers; an idea we have no row for means fetching the page again.
    const list = document.querySelector("[data-leaderboard]");
    if (!list) return;
    const items = payload.ideas || [];
    const rows = new Map([...list.querySelectorAll("[data-leaderboard-idea]")]
      .map((row) => [Number(row.dataset.leaderboardIdea), row]));
    if (items.some((idea) => !rows.has(idea.id))) {
      refreshMain();
      return;
    }
    list.replaceChildren(...items.map((idea) => {
      const row = rows.get(idea.id);
      const meter = row.querySelector("meter");
      if (meter) meter.value = idea.chance;
      setText(row, ".chance strong", percent(idea.chance));
      const range = (list.dataset.rangeTemplate || "{low}–{high}")
        .replace("{low}", percent(idea.chance_low)).replace("{high}", percent(idea.chance_high));
      const shown = (list.dataset.shownTemplate || "{n}").replace("{n}", idea.appearances);
      setText(row, "[data-leaderboard-meta]", `${range} · ${shown}`);
      return row;
    }));
    const totals = document.querySelector("[data-leaderboard-totals]");
    if (totals && totals.dataset.template) {
      totals.textContent = totals.dataset.template.replace("{n}", payload.comparisons);
    }
  }

  async function applyIdeaHidden(id) {
    byId(`idea-${id}`)?.remove(); // from any list on the page
    if (id !== ideaId) return;
    // Moderators and the author still see the page, with its banner; everyone else, a notice.
    if (!(await refreshMain())) {
      const main = document.querySelector("main");
      const notice = document.createElement("p");
      notice.className = "notice";
      notice.setAttribute("role", "status");
      notice.textContent = text("hiddenIdeaText", "A moderator has hidden this idea.");
      // A comment being written there stays on screen, read-only, to be copied.
      const kept = main && window.IdeaJamRefresh ? window.IdeaJamRefresh.keepWords(main) : [];
      if (main) main.replaceChildren(notice, ...kept);
    }
  }

  async function refreshMain() {
    // Fetch the same page and swap its content: the reader asked for it, or the phase changed.
    const response = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return false;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.querySelector("main");
    const main = document.querySelector("main");
    if (!fresh || !main || !window.IdeaJamRefresh) return false;
    // Only what changed is replaced: a form someone is typing in stays as it is (refresh.js).
    window.IdeaJamRefresh.update(main, fresh);
    lastSeq = Math.max(lastSeq, Number(doc.body.dataset.streamSeq || 0));
    newIdeas = 0;
    return true;
  }

  // Themes are worked out again every so often while ideas arrive: fetch the "Themes so far"
  // section afresh, at most once per THEMES_PAUSE however many refreshes are announced.
  const THEMES_PAUSE = 5000;
  let themesTimer = null;
  let themesFetched = 0;

  function refreshThemes() {
    if (themesTimer || !document.querySelector("[data-themes-section]")) return;
    const wait = Math.max(0, themesFetched + THEMES_PAUSE - Date.now());
    themesTimer = setTimeout(async () => {
      themesTimer = null;
      themesFetched = Date.now();
      const section = document.querySelector("[data-themes-section]");
      if (!section) return;
      try {
        const response = await fetch(section.dataset.url, { credentials: "same-origin", headers: { Accept: "text/html" } });
        if (!response.ok) return;
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.querySelector("[data-themes-section]");
        if (fresh) section.replaceWith(document.adoptNode(fresh));
      } catch (_) {
        // The next announcement tries again.
      }
    }, wait);
  }

  // Entries that arrived before an earlier one. With several server processes, each sends
  // its own entries, so neighbours often cross on the way; the missing one usually follows
  // within milliseconds. Held this long before asking the server to catch up.
  const REORDER_WAIT_MS = 500;
  const held = new Map(); // seq -> entry
  let heldTimer = null;

  function hold(event) {
    held.set(event.seq, event);
    if (!heldTimer) {
      heldTimer = setTimeout(() => {
        heldTimer = null;
        if (held.size) catchUp();
      }, REORDER_WAIT_MS);
    }
  }

  function releaseHeld() {
    for (const seq of held.keys()) if (seq <= lastSeq) held.delete(seq);
    const next = held.get(lastSeq + 1);
    if (next) {
      held.delete(next.seq);
      apply(next);
    } else if (!held.size && heldTimer) {
      clearTimeout(heldTimer);
      heldTimer = null;
    }
  }

  function apply(event) {
    if (event.seq <= lastSeq) return; // already applied
    if (event.seq > lastSeq + 1) {
      hold(event); // an earlier entry is still on its way, or lost: catch up if it stays away
      return;
    }
    lastSeq = event.seq;
    const kind = event.kind;
    if (kind === "idea.counts") applyCounts(event.payload);
    else if (kind === "idea.created" && !ideaId && !byId(`idea-${event.idea_id}`)) announceNewIdea();
    else if (kind === "idea.edited") applyIdeaEdited(event.payload);
    else if (kind.startsWith("comment.")) applyComment(kind, event);
    else if (kind === "idea.status") applyStatus(event.idea_id, event.payload.status);
    else if (kind === "ranking.updated") applyRanking(event.payload);
    else if (kind === "idea.hidden") applyIdeaHidden(event.idea_id);
    else if (kind === "idea.restored" && !ideaId && !byId(`idea-${event.idea_id}`)) announceNewIdea();
    else if (["idea.comments_locked", "idea.merged", "idea.unmerged"].includes(kind) && event.idea_id === ideaId) refreshMain();
    else if (kind === "campaign.phase") refreshMain();
    else if (kind === "campaign.updated") { join(); refreshMain(); }
    else if (kind === "themes.updated") refreshThemes();
    document.dispatchEvent(new CustomEvent("ideajam:event", { detail: event }));
    releaseHeld();
  }

  // --- the stream -------------------------------------------------------------------------
  const socket = window.io({ transports: ["websocket", "polling"] });
  // Other scripts of the page (the dashboard) listen on the same connection.
  window.IdeaJamLive = { socket };

  function catchUp() {
    if (catchingUp || !campaignId) return;
    catchingUp = true;
    socket.timeout(10000).emit("catch_up", { campaign_id: campaignId, after: lastSeq }, (err, reply) => {
      catchingUp = false;
      if (err || !reply || !reply.ok) return;
      for (const event of reply.events) {
        if (event.seq === lastSeq + 1) apply(event);
      }
      if (reply.more) catchUp();
      else if (held.size && !heldTimer) hold(held.get(Math.min(...held.keys()))); // still a gap
    });
  }

  function join() {
    if (!campaignId) return;
    socket.timeout(10000).emit("join_campaign", { campaign_id: campaignId }, (err, reply) => {
      if (err || !reply) return;
      if (!reply.ok) { showStatus("offline"); return; } // no longer allowed to follow it
      if (reply.seq > lastSeq) catchUp();
    });
  }

  socket.on("connect", () => {
    showStatus("live");
    join();
  });
  socket.on("disconnect", () => showStatus("offline"));
  socket.io.on("reconnect_attempt", () => showStatus("connecting"));
  socket.on("campaign_event", (event) => {
    if (event.campaign_id === campaignId) apply(event);
  });
  // A quiet stream may hide a lost message (say, while the message queue was down): check now and then.
  setInterval(() => { if (socket.connected) catchUp(); }, 30000);

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-show-new-ideas]");
    if (button) {
      event.preventDefault();
      refreshMain();
    }
  });
})();
