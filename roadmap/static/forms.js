// A refused form's error summary takes the focus, so keyboard and screen-reader users start
// at the list of problems; each link then moves the focus to its field, not only the view.
(function () {
  "use strict";
  function focusField(event) {
    var id = decodeURIComponent(event.currentTarget.getAttribute("href").slice(1));
    var target = document.getElementById(id);
    if (!target) { return; }
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", focusField);
    });
  });
})();
