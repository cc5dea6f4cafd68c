/* Dossier reader enhancements: our own small script, served from the site itself.
 * Pure progressive enhancement: without it every page is complete (citations are links,
 * the chronology lists every event, the cited passage is highlighted through :target).
 *  1. citation previews: hover or keyboard focus on [n] shows quote, source and date;
 *     Escape closes; the link itself still navigates to the passage
 *  2. source pages: the passage named in the address is highlighted (all its segments)
 *  3. chronology: filter by topic and actor (?thema=…&akteur=…), with a live result count
 */
(function () {
  "use strict";

  /* 1. Citation previews ------------------------------------------------------------- */
  var tip = null, owner = null, hideTimer = 0;

  function ensureTip() {
    if (tip) return tip;
    tip = document.createElement("div");
    tip.id = "dossier-tip";
    tip.className = "dossier-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(tip);
    return tip;
  }

  function showTip(link) {
    clearTimeout(hideTimer);
    var t = ensureTip();
    t.textContent = "";
    var q = document.createElement("q");
    q.className = "dossier-tip__quote";
    q.textContent = link.getAttribute("data-quote") || "";
    var src = document.createElement("span");
    src.className = "dossier-tip__source";
    var para = link.getAttribute("data-paragraph");
    src.textContent = (link.getAttribute("data-title") || "") + " – " + (link.getAttribute("data-source") || "") + (para ? ", ¶" + para : "");
    var hint = document.createElement("span");
    hint.className = "dossier-tip__hint";
    hint.textContent = "Klicken öffnet die Stelle in der Quelle";
    t.appendChild(q);
    t.appendChild(src);
    t.appendChild(hint);
    t.hidden = false;
    owner = link;
    place(link, t);
  }

  function place(link, t) {
    var r = link.getBoundingClientRect();
    var vw = document.documentElement.clientWidth;
    var width = Math.min(352, vw - 16);
    t.style.width = width + "px";
    var left = Math.max(8, Math.min(r.left + window.scrollX - width / 2, window.scrollX + vw - width - 8));
    t.style.left = left + "px";
    var below = r.bottom + window.scrollY + 6;
    t.style.top = below + "px";
    var h = t.offsetHeight;
    if (r.bottom + h + 12 > window.innerHeight && r.top - h - 6 > 0) {
      t.style.top = (r.top + window.scrollY - h - 6) + "px";
    }
  }

  function hideTip() {
    clearTimeout(hideTimer);
    if (tip) tip.hidden = true;
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideTip, 200);
  }

  function citeOf(node) {
    return node && node.closest ? node.closest("a.dossier-cite") : null;
  }

  document.addEventListener("mouseover", function (e) { var a = citeOf(e.target); if (a && a !== owner) showTip(a); });
  document.addEventListener("mouseout", function (e) { var a = citeOf(e.target); if (a && !a.contains(e.relatedTarget)) scheduleHide(); });
  document.addEventListener("focusin", function (e) { var a = citeOf(e.target); if (a) showTip(a); else if (owner) hideTip(); });
  document.addEventListener("focusout", function (e) { if (citeOf(e.target)) scheduleHide(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && owner) hideTip(); });
  window.addEventListener("resize", function () { if (owner && tip && !tip.hidden) place(owner, tip); });

  /* 2. Highlight the cited passage named in the address ------------------------------- */
  function highlightTarget() {
    var old = document.querySelectorAll(".dossier-quote.is-target");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("is-target");
    var id;
    try {
      id = decodeURIComponent((location.hash || "").slice(1));
    } catch (e) {
      return; // a malformed address (e.g. '#%E0') must not stop the rest of the page script
    }
    if (!/^q-[0-9a-f]+$/.test(id)) return;
    var marks = document.querySelectorAll("mark." + id);
    for (var j = 0; j < marks.length; j++) marks[j].classList.add("is-target");
  }
  window.addEventListener("hashchange", highlightTarget);

  /* 3. Chronology filter --------------------------------------------------------------- */
  function setupFilter(form) {
    if (form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var root = document.querySelector(".md-content__inner");
    var events = root.querySelectorAll("li.dossier-event[data-topics]");
    var topic = form.querySelector("select[name=thema]");
    var actor = form.querySelector("select[name=akteur]");
    var status = form.querySelector(".dossier-filter__status");
    var params = new URLSearchParams(location.search);
    if (params.get("thema")) topic.value = params.get("thema");
    if (params.get("akteur")) actor.value = params.get("akteur");

    function apply() {
      var t = topic.value, a = actor.value, shown = 0;
      for (var i = 0; i < events.length; i++) {
        var ev = events[i];
        var ok = (!t || (" " + ev.getAttribute("data-topics") + " ").indexOf(" " + t + " ") >= 0) &&
                 (!a || (" " + ev.getAttribute("data-actors") + " ").indexOf(" " + a + " ") >= 0);
        ev.hidden = !ok;
        if (ok) shown++;
      }
      // hide the year and month headings that no longer have a visible event
      var h2 = null, h3 = null, seen = [];
      var kids = root.children;
      for (var k = 0; k < kids.length; k++) {
        var el = kids[k];
        if (el.tagName === "H2" && /^(jahr|zeitraum)-/.test(el.id)) { h2 = el; h3 = null; seen.push([el, false]); }
        else if (el.tagName === "H3" && h2) { h3 = el; seen.push([el, false]); }
        else if (el.classList.contains("dossier-timeline")) {
          var vis = el.querySelector("li.dossier-event:not([hidden])") !== null;
          el.hidden = !vis;
          if (vis) {
            for (var s = 0; s < seen.length; s++) if (seen[s][0] === h2 || seen[s][0] === h3) seen[s][1] = true;
          }
        }
      }
      for (var m = 0; m < seen.length; m++) seen[m][0].hidden = !seen[m][1];
      status.textContent = (t || a)
        ? shown + " von " + events.length + " Ereignissen angezeigt"
        : "Alle " + events.length + " Ereignisse angezeigt";
      var q = new URLSearchParams();
      if (t) q.set("thema", t);
      if (a) q.set("akteur", a);
      var url = location.pathname + (q.toString() ? "?" + q.toString() : "") + location.hash;
      history.replaceState(history.state, "", url);
    }

    topic.addEventListener("change", apply);
    actor.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  function init() {
    highlightTarget();
    var forms = document.querySelectorAll("form.dossier-filter");
    for (var i = 0; i < forms.length; i++) setupFilter(forms[i]);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { hideTip(); init(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
