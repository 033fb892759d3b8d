// Settings, "Embed on your website": a button to copy each snippet (the text stays selectable without it).
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector("[data-copied]");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        if (status) status.textContent = "Copied.";
      }, function () {
        source.select();
        if (status) status.textContent = "Select the text and copy it (Ctrl+C or ⌘C).";
      });
    });
  });
})();
