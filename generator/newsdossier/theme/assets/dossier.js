/* Dossier reader enhancements: our own small script, served from the site itself.
 * Pure progressive enhancement: without it every page is complete (citations are links,
 * the chronology lists every event, the cited passage is highlighted through :target).
 *  1. citation previews: hover or keyboard focus on [n] shows quote, source and date;
 *     Escape closes; the link itself still navigates to the passage. On a touch screen a
 *     tap opens the preview as a sheet at the bottom of the screen (with a link to the
 *     passage); a second tap on the same [n], or the link in the sheet, opens the source
 *  2. source pages: the passage named in the address is highlighted (all its segments)
 *  3. chronology: filter by topic and actor (?thema=…&akteur=…), with a live result count
 */
(function () {
  "use strict";

  /* 1. Citation previews ------------------------------------------------------------- */
  var tip = null, owner = null, hideTimer = 0, sheet = false, lastPointer = "", lastPointerAt = 0;

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

  function showTip(link, asSheet) {
    clearTimeout(hideTimer);
    var t = ensureTip();
    t.textContent = "";
    sheet = !!asSheet;
    t.classList.toggle("dossier-tip--sheet", sheet);
    if (sheet) {
      t.setAttribute("role", "dialog");
      t.setAttribute("aria-label", __("js.cite_label", "n", (link.getAttribute("data-cite-n") || "")));
    } else {
      t.setAttribute("role", "tooltip");
      t.removeAttribute("aria-label");
    }
    var q = document.createElement("q");
    q.className = "dossier-tip__quote";
    q.textContent = link.getAttribute("data-quote") || "";
    var src = document.createElement("span");
    src.className = "dossier-tip__source";
    var para = link.getAttribute("data-paragraph");
    src.textContent = (link.getAttribute("data-source") || "") + (para ? ", ¶" + para : "");
    var title = document.createElement("span");
    title.className = "dossier-tip__title";
    title.textContent = link.getAttribute("data-title") || "";
    var quote = q.textContent;
    if (/^[„“"»‚']/.test(quote) && /[“”"«‘']$/.test(quote)) q.className += " dossier-q--own";
    t.appendChild(q);
    t.appendChild(src);
    t.appendChild(title);
    if (sheet) {
      var go = document.createElement("a");
      go.className = "dossier-tip__go";
      go.href = link.getAttribute("href");
      go.textContent = __("js.open_passage");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "dossier-tip__close";
      close.setAttribute("aria-label", __("js.close_preview"));
      close.textContent = "×";
      close.addEventListener("click", hideTip);
      t.appendChild(go);
      t.appendChild(close);
    } else {
      var hint = document.createElement("span");
      hint.className = "dossier-tip__hint";
      hint.textContent = __("js.click_hint");
      t.appendChild(hint);
    }
    t.hidden = false;
    owner = link;
    if (sheet) {
      t.style.left = t.style.top = t.style.width = "";
    } else {
      place(link, t);
    }
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
    sheet = false;
  }

  function scheduleHide() {
    if (sheet) return; // the sheet stays until closed, tapped outside or Escape
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideTip, 200);
  }

  function touchy() {
    return (lastPointer === "touch" || lastPointer === "pen") && Date.now() - lastPointerAt < 1500;
  }

  function citeOf(node) {
    return node && node.closest ? node.closest("a.dossier-cite") : null;
  }

  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType; lastPointerAt = Date.now();
    // a tap outside an open sheet closes it
    if (sheet && tip && !tip.contains(e.target) && !citeOf(e.target)) hideTip();
  }, true);
  document.addEventListener("mouseover", function (e) { var a = citeOf(e.target); if (a && a !== owner && !sheet && !touchy()) showTip(a); });
  document.addEventListener("mouseout", function (e) { var a = citeOf(e.target); if (a && !a.contains(e.relatedTarget)) scheduleHide(); });
  document.addEventListener("focusin", function (e) {
    var a = citeOf(e.target);
    if (a) { if (!touchy() && !sheet) showTip(a); }
    else if (owner && !(tip && tip.contains(e.target))) hideTip();
  });
  document.addEventListener("focusout", function (e) { if (citeOf(e.target)) scheduleHide(); });
  // a tap on [n] opens the sheet; a second tap on the same [n] follows the link
  document.addEventListener("click", function (e) {
    var a = citeOf(e.target);
    if (!a || !touchy() || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (sheet && owner === a) return;
    e.preventDefault();
    showTip(a, true);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && owner) hideTip(); });
  window.addEventListener("resize", function () { if (owner && tip && !tip.hidden && !sheet) place(owner, tip); });

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
    var empty = root.querySelector(".dossier-filter__empty");
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
      for (var m = 0; m < seen.length; m++) {
        seen[m][0].hidden = !seen[m][1];
        // the table of contents lists only the years and months that still show an event
        var entries = document.querySelectorAll('.md-nav--secondary a[href="#' + seen[m][0].id + '"]');
        for (var n = 0; n < entries.length; n++) entries[n].parentNode.hidden = !seen[m][1];
      }
      if (empty) empty.hidden = shown > 0;
      status.textContent = !(t || a)
        ? __("js.filter_all", "n", events.length)
        : shown === 0
          ? __("js.filter_none", "n", events.length)
          : __("js.filter_some", "shown", shown, "n", events.length);
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
