// Progressive enhancement for the request form: a date strip and time buttons
// fed by the availability API. Without JavaScript the server-rendered list of
// checkboxes is used instead; this script replaces it only once the API answered.
(function () {
  "use strict";
  var MAX = 3;
  var form = document.querySelector(".request-form");
  if (!form || !window.fetch) return;
  var picker = form.querySelector("[data-slot-picker]");
  var nojs = form.querySelector("[data-nojs-slots]");
  var strip = picker.querySelector("[data-date-strip]");
  var list = picker.querySelector("[data-slot-list]");
  var status = picker.querySelector("[data-picker-status]");
  var chosenBox = picker.querySelector("[data-chosen]");
  var inputs = picker.querySelector("[data-chosen-inputs]");
  var zone = form.dataset.timezone;
  // Dates in the page's language and the clinic's region, as the server writes them.
  var locale = form.dataset.locale || document.documentElement.lang || undefined;
  // The page gives the words, translated; a plural is [one, other].
  var words = JSON.parse(picker.dataset.messages || "{}");
  function say(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }
  function sayCount(forms, n, values) {
    values = values || {};
    values.num = n;
    return say(n === 1 ? forms[0] : forms[1], values);
  }
  var dayFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: "short", day: "numeric", month: "short" });
  var weekdayFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: "short" });
  var dayMonthFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, day: "numeric", month: "short" });
  var longFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" });
  var timeFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "numeric", minute: "2-digit" });

  var chosen = JSON.parse(picker.dataset.chosen || "[]");
  nojs.querySelectorAll("input:checked").forEach(function (box) {
    if (chosen.indexOf(box.value) < 0) chosen.push(box.value);
  });
  var dates = [];
  var current = null;
  // The days shown: the same window as the page without JavaScript, moved by its nav buttons.
  var windowDays = Number(form.dataset.windowDays) || 7;
  var today = form.dataset.windowToday;
  var horizon = Number(form.dataset.windowHorizon) || 0;
  var windowFrom = form.dataset.windowFrom || today;
  var windowInput = form.querySelector("[data-window-input]");
  var nav = picker.querySelector("[data-window-nav]");
  var rangeLabel = picker.querySelector("[data-window-range]");
  var loaded = {};  // answers already fetched, by service and first day: moving back is instant
  var asked = 0;  // the latest load: an older answer arriving late is ignored

  function serviceSlug() {
    var radio = form.querySelector("input[name=service]:checked") || form.querySelector("input[name=service]");
    return radio ? radio.value : "";
  }

  function addDays(isoDate, n) {
    var d = new Date(isoDate + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function daysFromToday(isoDate) {
    return Math.round((Date.parse(isoDate + "T12:00:00Z") - Date.parse(today + "T12:00:00Z")) / 86400000);
  }

  function noon(isoDate) {
    // A Date safely inside the local day, to label it in the clinic's zone.
    return new Date(isoDate + "T12:00:00Z");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function renderChosen() {
    inputs.textContent = "";
    chosenBox.textContent = "";
    chosen.sort();
    chosen.forEach(function (value) {
      inputs.appendChild(el("input", { type: "hidden", name: "preferred_times", value: value }));
    });
    if (!chosen.length) {
      chosenBox.appendChild(el("p", { "class": "muted" }, say(words.noneChosen, { most: MAX })));
      return;
    }
    chosenBox.appendChild(el("p", { "class": "label" }, say(words.chosen, { count: chosen.length, most: MAX })));
    var ul = el("ul", { "class": "chosen-list" });
    chosen.forEach(function (value) {
      var li = el("li", {}, longFmt.format(new Date(value)) + " ");
      var remove = el("button", { type: "button", "class": "link-button", "aria-label": say(words.removeTime, { time: longFmt.format(new Date(value)) }) }, words.remove);
      remove.addEventListener("click", function () { toggle(value); });
      li.appendChild(remove);
      ul.appendChild(li);
    });
    chosenBox.appendChild(ul);
  }

  function toggle(value) {
    var i = chosen.indexOf(value);
    if (i >= 0) chosen.splice(i, 1);
    else if (chosen.length < MAX) chosen.push(value);
    renderChosen();
    renderSlots();
    // Re-rendering replaced the buttons: keep keyboard focus on the same time.
    var again = list.querySelector('[data-value="' + value + '"]');
    if (again) again.focus();
  }

  function renderSlots() {
    list.textContent = "";
    var day = dates.filter(function (d) { return d.date === current; })[0];
    if (!day) return;
    status.textContent = sayCount(words.freeOnDay, day.slots.length, { day: dayFmt.format(noon(day.date)) });
    day.slots.forEach(function (value) {
      var on = chosen.indexOf(value) >= 0;
      var button = el("button", { type: "button", "class": "slot-button", "aria-pressed": String(on), "data-value": value }, timeFmt.format(new Date(value)));
      if (!on && chosen.length >= MAX) button.disabled = true;
      button.addEventListener("click", function () { toggle(value); });
      list.appendChild(button);
    });
  }

  function renderStrip() {
    strip.textContent = "";
    dates.forEach(function (day) {
      var button = el("button", { type: "button", "class": "date-button", "data-date": day.date });
      if (day.date === current) button.setAttribute("aria-current", "date");
      // Read as one name ("Fri, Dec 4, 16 free"); shown as a weekday over its date.
      button.appendChild(el("span", { "class": "weekday" }, weekdayFmt.format(noon(day.date))));
      button.appendChild(el("span", { "class": "visually-hidden" }, ", "));
      button.appendChild(el("span", { "class": "day-month" }, dayMonthFmt.format(noon(day.date))));
      button.appendChild(el("span", { "class": "visually-hidden" }, ", "));
      button.appendChild(el("small", {}, day.slots.length ? sayCount(words.free, day.slots.length) : words.noneFree));
      if (!day.slots.length) button.disabled = true;
      button.addEventListener("click", function () {
        current = day.date;
        renderStrip();
        renderSlots();
        // Re-rendering replaced the buttons: keep keyboard focus on the same day.
        var again = strip.querySelector('[data-date="' + day.date + '"]');
        if (again) again.focus();
      });
      strip.appendChild(button);
    });
  }

  function renderNav() {
    var last = addDays(windowFrom, windowDays - 1);
    rangeLabel.textContent = say(words.range, { first: dayFmt.format(noon(windowFrom)), last: dayFmt.format(noon(last)) });
    nav.querySelectorAll("[data-window-step]").forEach(function (button) {
      var step = Number(button.dataset.windowStep);
      var open = step < 0 ? windowFrom > today : daysFromToday(addDays(windowFrom, windowDays)) <= horizon;
      // aria-disabled, not disabled: a button that is disabled loses the keyboard focus.
      if (open) button.removeAttribute("aria-disabled");
      else button.setAttribute("aria-disabled", "true");
    });
  }

  function show(data) {
    dates = data.dates;
    var withSlots = dates.filter(function (d) { return d.slots.length; });
    var inWindow = chosen.slice().sort().filter(function (v) {
      return dates.some(function (d) { return d.date === v.slice(0, 10); });
    });
    current = (inWindow[0] && inWindow[0].slice(0, 10)) || (withSlots[0] && withSlots[0].date) || null;
    if (picker.hidden) {
      if (nojs.parentNode) nojs.parentNode.removeChild(nojs);
      var quiet = form.querySelector(".default-submit");
      if (quiet) quiet.parentNode.removeChild(quiet);
      picker.hidden = false;
    }
    renderNav();
    renderStrip();
    renderSlots();
    renderChosen();
    if (!withSlots.length) {
      var later = daysFromToday(addDays(windowFrom, windowDays)) <= horizon;
      status.textContent = later ? words.noTimesHere : words.noTimes;
    }
  }

  function fetchWindow(from) {
    var key = serviceSlug() + "|" + from;
    if (loaded[key]) return Promise.resolve(loaded[key]);
    var url = form.dataset.apiUrl + "?service=" + encodeURIComponent(serviceSlug()) +
      "&from=" + from + "&days=" + windowDays;
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { loaded[key] = data; return data; });
  }

  function load() {
    var mine = ++asked;
    status.textContent = words.loading;
    fetchWindow(windowFrom)
      .then(function (data) {
        if (mine !== asked) return;
        show(data);
        // The next days are likely wanted next: ask for them now, quietly.
        var next = addDays(windowFrom, windowDays);
        if (daysFromToday(next) <= horizon) fetchWindow(next).catch(function () {});
      })
      .catch(function () {
        if (mine !== asked) return;
        // Before the first answer the server-rendered list stays, and still works.
        status.textContent = picker.hidden ? "" : words.failed;
      });
  }

  function move(step) {
    var to = addDays(windowFrom, step * windowDays);
    var offset = daysFromToday(to);
    if (offset < 0 || offset > horizon) return;
    windowFrom = to;
    if (windowInput) windowInput.value = to;
    // The address names the days shown, as the page without JavaScript does: a reload keeps them.
    if (window.history && history.replaceState) {
      var address = new URL(window.location.href);
      address.searchParams.set("from", to);
      history.replaceState(history.state, "", address.toString());
    }
    renderNav();
    load();
  }

  nav.querySelectorAll("[data-window-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-disabled") === "true") return;
      move(Number(button.dataset.windowStep));
    });
  });

  form.querySelectorAll("input[name=service]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      chosen = [];
      load();
    });
  });
  load();
})();
