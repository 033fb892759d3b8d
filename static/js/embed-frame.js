/* Inside the frame (templates/embed_base.html): tell the embedding page our height and what
 * happened, and nothing else. Messages go to the one origin the server checked against the
 * clinic's list (data-parent-origin), never to "*": another page that framed us would get
 * nothing. No message carries anything the patient typed. */
(function () {
  "use strict";
  var body = document.body;
  var parentOrigin = body.getAttribute("data-parent-origin");
  if (!parentOrigin || window.parent === window) return;
  var clinic = body.getAttribute("data-clinic");

  function height() {
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  }

  function post(event) {
    window.parent.postMessage({ type: "clinicbooking", event: event, clinic: clinic, height: height() }, parentOrigin);
  }

  post("ready");
  (body.getAttribute("data-embed-events") || "").split(/\s+/).forEach(function (event) {
    if (event) post(event);
  });
  if ("ResizeObserver" in window) {
    var last = height();
    new ResizeObserver(function () {
      var now = height();
      if (now !== last) {
        last = now;
        post("resize");
      }
    }).observe(document.documentElement);
  }
})();
