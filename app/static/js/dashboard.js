// Idea Jam dashboards: re-read the dashboard when the jam changes, at most every few seconds,
// and on a wall screen rotate through its slides.
"use strict";

(() => {
  const container = document.querySelector("[data-dashboard]");
  if (!container) return;
  const body = document.body;
  const THROTTLE_MS = 2000;   // live, but a vote storm costs one re-read every two seconds
  const SAFETY_MS = 60000;    // "the last hour" moves on even when nothing happens
  let lastRefresh = 0;
  let timer = null;
  let inFlight = false;

  async function refresh() {
    timer = null;
    if (inFlight) { schedule(); return; }
    inFlight = true;
    lastRefresh = Date.now();
    try {
      const response = await fetch(container.dataset.refreshUrl, {
        credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.ok) {
        container.innerHTML = await response.text();
        showSlide(currentSlide);
        document.dispatchEvent(new CustomEvent("ideajam:dashboard-refreshed"));
      }
    } catch (_) {
      // Offline for a moment: the next change or the safety timer tries again.
    } finally {
      inFlight = false;
    }
  }

  function schedule() {
    if (timer) return;
    const wait = Math.max(0, lastRefresh + THROTTLE_MS - Date.now());
    timer = setTimeout(refresh, wait);
  }

  // A campaign dashboard hears its campaign's stream through live.js.
  document.addEventListener("ideajam:event", schedule);
  // The dashboard of every campaign hears a tick naming the campaigns that changed.
  const live = window.IdeaJamLive;
  if (live && body.dataset.siteDashboard !== undefined) {
    const follow = () => live.socket.emit("follow_dashboard", {});
    live.socket.on("connect", follow);
    if (live.socket.connected) follow();
    live.socket.on("dashboard_tick", schedule);
  }
  setInterval(schedule, SAFETY_MS);

  // --- wall mode ------------------------------------------------------------------------------
  let currentSlide = 0;
  function showSlide(index) {
    const slides = container.querySelectorAll("[data-slide]");
    if (!slides.length || body.dataset.wall === undefined) return;
    currentSlide = index % slides.length;
    slides.forEach((slide, i) => { slide.hidden = i !== currentSlide; });
  }
  if (body.dataset.wall !== undefined) {
    showSlide(0);
    const seconds = Number(body.dataset.rotateSeconds || 15);
    setInterval(() => showSlide(currentSlide + 1), seconds * 1000);
    document.querySelector("[data-wall-fullscreen]")?.addEventListener("click", () => {
      document.documentElement.requestFullscreen?.();
    });
  }
})();
