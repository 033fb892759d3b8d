// Day sheet: a visit's buttons (check in, undo, driver confirmed...) post in the background and
// the server's fresh fragment replaces the visit's cards in place. Without this script each
// button is an ordinary form that comes back to the day sheet at the visit.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.DOMParser) return;

  function live(text) {
    var region = document.getElementById("visit-live");
    if (!region) {
      region = document.createElement("p");
      region.id = "visit-live";
      region.className = "notice";
      region.setAttribute("role", "status");
      var main = document.getElementById("main");
      main.insertBefore(region, main.firstChild);
    }
    region.textContent = text;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-inline")) return;
    var card = form.closest("[data-visit-card]");
    if (!card) return;
    event.preventDefault();
    var where = card.getAttribute("data-visit-card");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.text().then(function (html) { return { ok: response.status < 500, html: html }; });
    }).then(function (answer) {
      if (!answer.ok) { form.submit(); return; }
      var fresh = new DOMParser().parseFromString(answer.html, "text/html");
      var cards = fresh.querySelectorAll("[data-visit-card]");
      if (!cards.length) { form.submit(); return; }
      cards.forEach(function (next) {
        var key = next.getAttribute("data-visit-card");
        var old = document.querySelector('[data-visit-card="' + key + '"]');
        if (!old) return;
        var cell = old.closest("td.appt");
        if (cell) cell.className = "appt " + next.getAttribute("data-status");
        old.replaceWith(document.importNode(next, true));
      });
      var message = fresh.querySelector("[data-visit-message]");
      if (message) live(message.textContent);
      // Keep the keyboard where it was: on the first button of the same visit's fresh card.
      var again = document.querySelector('[data-visit-card="' + where + '"]');
      var target = again && (again.querySelector("button, summary, a") || again);
      if (target) target.focus();
    }).catch(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      form.submit();
    });
  });
})();
