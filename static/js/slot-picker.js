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
  var longFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" });
  var timeFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "numeric", minute: "2-digit" });

  var chosen = JSON.parse(picker.dataset.chosen || "[]");
  nojs.querySelectorAll("input:checked").forEach(function (box) {
    if (chosen.indexOf(box.value) < 0) chosen.push(box.value);
  });
  var dates = [];
  var current = null;

  function serviceSlug() {
    var radio = form.querySelector("input[name=service]:checked") || form.querySelector("input[name=service]");
    return radio ? radio.value : "";
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
      var button = el("button", { type: "button", "class": "date-button", "aria-pressed": String(day.date === current), "data-date": day.date });
      button.appendChild(el("span", {}, dayFmt.format(noon(day.date))));
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

  function load() {
    status.textContent = words.loading;
    var url = form.dataset.apiUrl + "?service=" + encodeURIComponent(serviceSlug()) + "&days=" + form.dataset.maxDays;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        dates = data.dates;
        var withSlots = dates.filter(function (d) { return d.slots.length; });
        var firstChosen = chosen.length ? chosen.slice().sort()[0].slice(0, 10) : null;
        current = firstChosen || (withSlots[0] && withSlots[0].date) || null;
        if (nojs.parentNode) nojs.parentNode.removeChild(nojs);
        picker.hidden = false;
        renderStrip();
        renderSlots();
        renderChosen();
        if (!withSlots.length) status.textContent = words.noTimes;
      })
      .catch(function () {
        // Keep the server-rendered list; it still works.
        status.textContent = "";
      });
  }

  form.querySelectorAll("input[name=service]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      chosen = [];
      load();
    });
  });
  load();
})();
