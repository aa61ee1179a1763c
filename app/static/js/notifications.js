// Idea Jam notifications: live entries in the bell (and on the notifications page), an unread
// count that stays true in every tab, and marking read when the bell or the page is opened.
// Every entry's words, link and markup come from the server (the same template as a reload),
// with the reader's current unread count; this script only places them.
"use strict";

(() => {
  const menu = document.querySelector("[data-notification-menu]");
  if (!menu) return; // not signed in
  const page = document.querySelector("[data-notifications-page]");
  const badge = document.querySelector("[data-unread-count]");
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  function showCount(count) {
    if (!badge || typeof count !== "number") return;
    badge.dataset.count = String(count);
    badge.textContent = String(count);
    badge.hidden = count <= 0;
  }

  function markRead() {
    if (!badge || Number(badge.dataset.count || 0) === 0) return;
    fetch(menu.dataset.readUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    }).then((response) => (response.ok ? response.json() : null))
      .then((reply) => { if (reply) showCount(reply.unread); })
      .catch(() => {}); // the count is corrected by the next message or page
  }

  function addEntry(message) {
    for (const list of document.querySelectorAll("[data-notification-list]")) {
      if (list.querySelector(`[data-notification-id="${message.id}"]`)) continue;
      const item = document.createElement("li");
      item.className = message.read ? "read" : "unread";
      item.innerHTML = message.html; // rendered and escaped by the server's template
      list.prepend(item);
      list.querySelector("[data-no-notifications]")?.remove();
    }
  }

  menu.addEventListener("toggle", () => { if (menu.open) markRead(); });
  // A click outside the open panel closes it, as menus do.
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
  if (page) markRead();

  const live = window.IdeaJamLive;
  if (!live || !live.socket) return;
  live.socket.on("notification", (message) => {
    addEntry(message);
    showCount(message.unread);
    if (menu.open || page) markRead();
  });
  live.socket.on("notifications.read", (message) => showCount(message && message.unread));
})();
