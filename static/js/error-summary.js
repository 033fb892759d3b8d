// After a refused form the page opens on its error summary: focus moves there, so a
// screen reader reads it first and the next Tab reaches its first link.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
