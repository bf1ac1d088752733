// Narrow screens (a phone held upright). Charts are drawn for a laptop; where a chart's box is
// narrower than NARROW px its title and axis titles wrap, its legend moves below everything
// else (never over the plot or the axis titles) and the chart grows by the legend's height.
// Boxes that scroll sideways (a wide table, the heat map) get a keyboard stop and a name, so
// keyboard and screen-reader users can reach and scroll them too.
(function () {
  "use strict";
  var NARROW = 600;
  var CHAR_PX = 8.5; // about the width of one character of a 17 px chart title

  function wrap(text, width) {
    if (!text) return text;
    var room = Math.max(16, Math.floor(width / CHAR_PX));
    var lines = [], line = "";
    String(text).split("<br>").join(" ").split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > room) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }

  function copy(value) { return JSON.parse(JSON.stringify(value || {})); }

  function titleOf(part) {
    return part && part.title ? (typeof part.title === "string" ? part.title : part.title.text) : "";
  }

  function fit(el) {
    if (!window.Plotly || !el.layout || !el._fullLayout) return;
    var saved = el._roadmapWide;
    if (!saved) {
      saved = el._roadmapWide = {
        title: titleOf(el.layout), x: titleOf(el.layout.xaxis), height: el.layout.height,
        titleLayout: copy(el.layout.title), margin: copy(el.layout.margin),
        legend: copy(el.layout.legend),
      };
    }
    var width = el.clientWidth;
    var narrow = width > 0 && width < NARROW;
    if (narrow === Boolean(el._roadmapNarrow)) return;
    el._roadmapNarrow = narrow;
    // On a phone the title is written above the chart as text, which wraps as text does.
    // plotly's wrapper holds the chart's height; the chart sets it itself here.
    var wrapper = el.parentNode;
    var before = wrapper.previousElementSibling;
    var heading = before && before.classList.contains("chart-title") ? before : null;
    if (narrow && saved.title && !heading) {
      heading = document.createElement("p");
      heading.className = "chart-title";
      heading.textContent = saved.title.replace(/<[^>]*>/g, " ");
      wrapper.parentNode.insertBefore(heading, wrapper);
    } else if (!narrow && heading) {
      heading.remove();
    }
    if (narrow) {
      wrapper.style.height = "auto";
      el.style.height = (saved.height || 450) + "px";
    } else {
      wrapper.style.height = saved.height ? saved.height + "px" : "";
      el.style.height = "100%";
    }
    var update = narrow ? {
      "title.text": "", "margin.t": 10,
      "xaxis.title.text": wrap(saved.x, width),
      "legend.orientation": "h", "legend.x": 0, "legend.xanchor": "left",
      "legend.yref": "container", "legend.y": 0, "legend.yanchor": "bottom",
      "legend.font.size": 12, "legend.tracegroupgap": 2,
    } : {
      "title": saved.titleLayout, "xaxis.title.text": saved.x, "height": saved.height,
      "margin": saved.margin, "legend": saved.legend,
    };
    window.Plotly.relayout(el, update);
  }

  // A legend below the plot takes its room from the plot; once drawn, give it back by
  // growing the chart by the legend's height.
  function grow(el) {
    var legend = el._fullLayout && el._fullLayout.legend;
    if (!el._roadmapNarrow || !el._fullLayout.showlegend || !legend || !legend._height) return;
    var grown = (el._roadmapWide.height || 450) + legend._height;
    if (Math.abs(grown - el._fullLayout.height) < 2) return;
    el.style.height = grown + "px";
    window.Plotly.relayout(el, {height: grown, "margin.b": legend._height + 60});
  }

  function labelScrollers() {
    document.querySelectorAll("main table, main .table-scroll, main .chart-frame").forEach(function (box) {
      var style = window.getComputedStyle(box);
      var scrolls = box.scrollWidth > box.clientWidth + 1 &&
        (style.overflowX === "auto" || style.overflowX === "scroll");
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-stop", "");
        if (!box.hasAttribute("aria-label") && box.tagName !== "TABLE") {
          var caption = box.querySelector("caption, .gtitle");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") + " (scrolls sideways)");
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-stop")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-stop");
      }
    });
  }

  function all() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (el) {
      if (!el._roadmapHooked && el.on) {
        el._roadmapHooked = true;
        el.on("plotly_afterplot", function () { grow(el); });
      }
      fit(el);
    });
    labelScrollers();
  }

  // A table inside a <details> only takes its width when opened.
  document.addEventListener("toggle", labelScrollers, true);
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(all, 150);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
