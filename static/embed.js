/* Clinic bookings: a clinic's request form on the clinic's own website.
 *
 *   <script src="https://BOOKING-HOST/static/embed.js" data-clinic="CLINIC-SLUG" async></script>
 *
 * Puts an <iframe> with the form right after this tag (or inside the element whose id is in
 * data-target). Optional attributes: data-lang="es" (else the visitor's browser decides),
 * data-source="..." (stored with the request unless the page's address has ?source=),
 * data-title="..." (the frame's accessible name).
 *
 * The page's own utm_source, utm_medium, utm_campaign, utm_term, utm_content and source
 * parameters are passed to the form and stored with the request. The frame grows and shrinks
 * with its content. What happens inside is announced on the page as DOM events that bubble
 * from this script tag up to document and window:
 *
 *   clinicbooking:ready              the form (or the next page in the frame) has loaded
 *   clinicbooking:request_submitted  a request was sent
 *   clinicbooking:booked             ... and booked straight away (clinics with instant booking)
 *
 * event.detail is { clinic: "CLINIC-SLUG" }: never anything the patient typed.
 * Only messages from our own origin, from this very frame, are listened to.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.URLSearchParams) return;
  var ours = new URL(script.src, window.location.href).origin;
  var clinic = script.getAttribute("data-clinic") || "";
  if (!/^[a-z0-9][a-z0-9-]*$/.test(clinic)) {
    if (window.console) window.console.error("clinicbooking: data-clinic must be the clinic's address name");
    return;
  }
  var CAMPAIGN = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "source"];
  var EVENTS = { ready: true, request_submitted: true, booked: true };
  var MAX_LENGTH = 100; // booking.limits.CAMPAIGN_TEXT

  var page = new URLSearchParams(window.location.search);
  var query = new URLSearchParams();
  CAMPAIGN.forEach(function (name) {
    var value = page.get(name);
    if (value) query.set(name, value.slice(0, MAX_LENGTH));
  });
  var source = script.getAttribute("data-source");
  if (source && !query.has("source")) query.set("source", source.slice(0, MAX_LENGTH));
  var lang = script.getAttribute("data-lang");
  if (lang) query.set("lang", lang);
  // Where the frame may post its events; the server uses it only if the clinic allowed it.
  query.set("parent", window.location.origin);

  var frame = document.createElement("iframe");
  frame.src = ours + "/" + clinic + "/embed?" + query.toString();
  // The frame's accessible name, in the form's language if data-lang gives one.
  var TITLES = { en: "Request a consultation", es: "Pedir una consulta" };
  frame.title = script.getAttribute("data-title") || TITLES[lang] || TITLES.en;
  frame.setAttribute("data-clinicbooking", clinic);
  frame.style.display = "block";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = "1600px"; // until the form says how tall it is
  var target = script.getAttribute("data-target");
  var holder = target && document.getElementById(target);
  if (holder) holder.appendChild(frame);
  else script.parentNode.insertBefore(frame, script.nextSibling);

  var loads = 0;
  window.addEventListener("message", function (message) {
    if (message.origin !== ours || message.source !== frame.contentWindow) return;
    var data = message.data;
    if (!data || data.type !== "clinicbooking" || data.clinic !== clinic) return;
    var height = Number(data.height);
    if (height > 0 && height < 100000) frame.style.height = Math.ceil(height) + "px";
    if (data.event === "ready") {
      loads += 1;
      // After a submit the next page starts at its top: bring it into view.
      if (loads > 1 && frame.getBoundingClientRect().top < 0) frame.scrollIntoView();
    }
    if (EVENTS[data.event] === true) {
      script.dispatchEvent(new CustomEvent("clinicbooking:" + data.event, {
        bubbles: true, detail: { clinic: clinic },
      }));
    }
  });
})();
