/* Dashboard charts: each <figure class="chart" data-chart="key"> holds a table with the
   figures; when ECharts (served from /static/vendor) is available, a chart of the same
   series (from the #chart-data JSON the server rendered) is drawn above it and the
   table folds behind a button. Without JavaScript the tables are the page. */
(function () {
  "use strict";
  var COLORS = ["#b7312c", "#1565c0", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#5d4037", "#546e7a"];

  function option(spec) {
    var base = { color: COLORS, tooltip: { trigger: spec.kind === "pie" ? "item" : "axis" }, grid: { left: 48, right: 48, top: 36, bottom: 64, containLabel: true } };
    if (spec.kind === "pie") {
      base.legend = { bottom: 0, type: "scroll" };
      base.series = [{ type: "pie", name: spec.title, radius: ["35%", "65%"], data: spec.data, label: { formatter: "{b}\n{d}%" } }];
      return base;
    }
    base.legend = { top: 0, type: "scroll" };
    base.xAxis = { type: "category", data: spec.x, axisLabel: { interval: 0, rotate: spec.x.length > 8 ? 40 : 0 } };
    base.yAxis = [{ type: "value", minInterval: 1 }];
    var hasRate = spec.series.some(function (s) { return s.rate; });
    if (hasRate) base.yAxis.push({ type: "value", max: 100, axisLabel: { formatter: "{value}%" } });
    base.series = spec.series.map(function (s) {
      return {
        name: s.name, data: s.data, type: s.line || s.rate ? "line" : "bar",
        yAxisIndex: s.rate ? 1 : 0, smooth: !!s.line, connectNulls: true,
        barMaxWidth: 24
      };
    });
    if (spec.kind === "trend") base.dataZoom = [{ type: "inside" }];
    return base;
  }

  function draw(root) {
    var source = document.getElementById("chart-data");
    if (!window.echarts || !source) return;
    var specs = JSON.parse(source.textContent);
    (root || document).querySelectorAll("figure.chart[data-chart]").forEach(function (fig) {
      var spec = specs[fig.dataset.chart];
      var canvas = fig.querySelector(".chart-canvas");
      if (!spec || !canvas || fig.classList.contains("charted")) return;
      canvas.hidden = false;
      var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
      chart.setOption(option(spec));
      new ResizeObserver(function () { chart.resize(); }).observe(canvas);
      fig.classList.add("charted");
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "link table-toggle";
      toggle.textContent = "查看数据表";
      toggle.addEventListener("click", function () {
        var open = fig.classList.toggle("show-table");
        toggle.textContent = open ? "收起数据表" : "查看数据表";
      });
      fig.appendChild(toggle);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
})();
