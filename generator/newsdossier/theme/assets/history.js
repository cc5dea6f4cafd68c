/* Returning readers: what changed since the last visit (progressive enhancement).
 * The time of each visit is kept in this browser's localStorage only; nothing is sent
 * anywhere. Claims and "Was ist neu" entries carry data-dossier-changed (the date of their
 * last logged change, from the site's git history); those newer than the previous visit are
 * marked. A visit ends after 30 minutes without a page view, so the marks stay while a
 * reader moves between pages.
 */
(function () {
  "use strict";
  var feed = document.querySelector('link[rel="alternate"][type="application/atom+xml"]');
  if (!feed) return;  // a site without history
  var KEY = "dossier-besuche:" + new URL(feed.getAttribute("href"), location.href).pathname;
  var GAP = 30 * 60 * 1000;
  var now = Date.now(), visits = {};
  try { visits = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return; }
  var prev = typeof visits.prev === "number" ? visits.prev : null;
  if (typeof visits.last === "number" && now - visits.last > GAP) prev = visits.last;
  try { localStorage.setItem(KEY, JSON.stringify({ last: now, prev: prev })); } catch (e) { /* storage full or off */ }
  if (prev === null) return;  // first visit: nothing to compare with

  var when = new Date(prev).toLocaleDateString(__("js.date_locale"), { day: "numeric", month: "long", year: "numeric" });
  var claims = 0, entries = 0;
  document.querySelectorAll("[data-dossier-changed]").forEach(function (el) {
    var t = Date.parse(el.getAttribute("data-dossier-changed"));
    if (!(t > prev)) return;
    var item = el.closest("li.dossier-claim") || el;
    if (item.classList.contains("dossier-seit-besuch")) return;
    item.classList.add("dossier-seit-besuch");
    var badge = document.createElement("span");
    badge.className = "dossier-seit-besuch__badge";
    badge.textContent = __("js.new_badge");
    var target = item.matches("li.dossier-claim") ? item.querySelector("p") : item;
    target.insertBefore(badge, target.firstChild);
    if (item.matches("li.dossier-claim")) claims++; else entries++;
  });
  var note = document.querySelector(".dossier-since-visit");
  if (!note && claims) {
    var head = document.querySelector(".dossier-pagehistory");
    if (!head) return;
    note = document.createElement("p");
    note.className = "dossier-since-visit";
    head.appendChild(note);
  }
  if (!note) return;
  note.setAttribute("role", "status");
  note.textContent = entries
    ? __("js.since_entries", "when", when, "n", entries, "changes", __plural("js.changes", entries))
    : claims
      ? __("js.since_claims", "when", when, "claims", __plural("js.claims_were", claims))
      : __("js.since_nothing", "when", when);
  note.hidden = false;
})();
