// Keyboard shortcuts on the day sheet and the queue (documented on the page in "Keyboard shortcuts").
// j and k (or the arrows, once on an item) move focus between visits or requests; Enter opens (a plain link);
// [ / p and ] / n go to the previous and next day; t to today; / to the search box.
// They can be switched off (WCAG 2.1.4) and never act while typing or with a modifier held.
(function () {
  "use strict";
  var help = document.querySelector("[data-keys]");
  if (!help) { return; }
  var toggle = document.getElementById("keys-on");
  var stored = null;
  try { stored = window.localStorage.getItem("dashboard-keys"); } catch (e) { stored = null; }
  if (toggle) {
    toggle.checked = stored !== "off";
    toggle.addEventListener("change", function () {
      try { window.localStorage.setItem("dashboard-keys", toggle.checked ? "on" : "off"); } catch (e) { /* private mode */ }
    });
  }
  var ITEMS = "main a[data-visit], main .day-grid a[href*='/appointments/'], main table.data a[href*='/appointments/'], main table.data a[href*='/requests/']";
  function items() {
    var seen = [];
    Array.prototype.forEach.call(document.querySelectorAll(ITEMS), function (el) {
      if (seen.indexOf(el) < 0) { seen.push(el); }
    });
    return seen;
  }
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function move(step) {
    var list = items();
    if (!list.length) { return; }
    var at = list.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(at + step, 0), list.length - 1);
    list[next].focus();
    list[next].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) { return; }
    if (toggle && !toggle.checked) { return; }
    var key = event.key;
    var go = null;
    // Arrows move between items only once one has focus, so they still scroll the page otherwise.
    var onItem = items().indexOf(document.activeElement) >= 0;
    if (key === "j" || (key === "ArrowDown" && onItem)) { move(1); event.preventDefault(); return; }
    if (key === "k" || (key === "ArrowUp" && onItem)) { move(-1); event.preventDefault(); return; }
    if (key === "[" || key === "p") { go = help.getAttribute("data-prev"); }
    if (key === "]" || key === "n") { go = help.getAttribute("data-next"); }
    if (key === "t") { go = help.getAttribute("data-today"); }
    if (key === "/") {
      var box = document.getElementById("people-q");
      if (box) { box.focus(); event.preventDefault(); }
      return;
    }
    if (go) { window.location.assign(go); event.preventDefault(); }
  });
}());
