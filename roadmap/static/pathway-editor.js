// Re-plot the pathway as its milestone table is edited (trace 0 is the pathway being built).
(function () {
  "use strict";
  function redraw() {
    var chart = document.getElementById("pathway-editor");
    if (!chart || !window.Plotly || !chart.data) { return; }
    var rows = document.querySelectorAll("#milestones tbody tr");
    var x = [], y = [];
    rows.forEach(function (row) {
      var inputs = row.querySelectorAll("input");
      var year = parseFloat(inputs[0].value), value = parseFloat(inputs[1].value);
      if (!isNaN(year) && !isNaN(value)) { x.push(year); y.push(value); }
    });
    window.Plotly.restyle(chart, { x: [x], y: [y] }, [0]);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("milestones");
    if (table) { table.addEventListener("input", redraw); }
  });
})();
