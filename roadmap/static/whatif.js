// The what-if sandbox reconciled as you type: after each change to the plan (a short pause
// first) the form is posted in the background and the outcome below it is replaced, figure
// included. Without this script the "Reconcile this plan" button does the same with a reload.
(function () {
  "use strict";
  var PAUSE_MS = 400;

  function draw(figure) {
    var target = document.getElementById("what-if-chart");
    if (!figure || !target || !window.Plotly) { return; }
    window.Plotly.newPlot(target, figure.data, figure.layout, {
      displaylogo: false,
      responsive: true
    });
  }

  function start(form) {
    var status = document.getElementById("what-if-live-status");
    var outcome = document.getElementById("what-if-live");
    var timer = null;
    var latest = 0;

    function say(text) { if (status) { status.textContent = text; } }

    function reconcile() {
      var asked = ++latest;
      var data = new FormData(form);
      data.set("recompute", "1");
      say("Reconciling\u2026");
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Roadmap-Live": "outcome", "Accept": "application/json" }
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (asked !== latest) { return; }  // a newer change is on its way
        if (answer.ok) {
          outcome.innerHTML = answer.html;
          draw(answer.figure);
          say("Reconciled with your latest change.");
        } else {
          say("Not reconciled: " + answer.problems.join(" "));
        }
      }).catch(function () {
        if (asked === latest) {
          say("Not reconciled: the server did not answer. Use \u201cReconcile this plan\u201d.");
        }
      });
    }

    form.addEventListener("input", function (event) {
      if (event.target.name === "name") { return; }  // the draft's name changes no figure
      window.clearTimeout(timer);
      timer = window.setTimeout(reconcile, PAUSE_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("sandbox-form");
    if (form && window.fetch && window.FormData) { start(form); }
  });
})();
