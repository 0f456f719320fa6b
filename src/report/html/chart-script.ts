/**
 * The report's interactive charts, run in the browser with uPlot (inlined beside it). Reads the
 * JSON of #nnlab-data: first the answer's evidence (full-width charts of differences with the seeds'
 * range, or of each level's curve), then per metric, panels of series (mean, ±1 std, each run with
 * its seed). The panels of a metric share one cursor and each has its own y range unless the toggle
 * puts them on one; the controls smooth the curves (exponential moving average), show each run's
 * curve, and put losses on a log scale. Written as plain ES2017 so
 * it runs as is; the charts are kept on window.nnlabCharts for the browser test.
 */
export const CHART_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('nnlab-data').textContent);
  var charts = [];
  window.nnlabCharts = charts;
  var state = { smoothing: 0, runs: false, log: false, sharedRange: false };

  function smooth(values, w) {
    if (!w) return values;
    var out = [], last = null;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v === null || v === undefined) { out.push(null); continue; }
      last = last === null ? v : w * last + (1 - w) * v;
      out.push(last);
    }
    return out;
  }

  function rangeOf(panels, log) {
    var lo = Infinity, hi = -Infinity;
    panels.forEach(function (p) {
      p.series.forEach(function (s) {
        var vals = s.mean.map(function (m, i) { return m === null ? [] : [m - (s.std[i] || 0), m + (s.std[i] || 0)]; });
        s.runs.forEach(function (r) { vals.push(r.values); });
        [].concat.apply([], vals).forEach(function (v) {
          if (v === null || !isFinite(v) || (log && v <= 0)) return;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        });
      });
    });
    if (lo === Infinity) return [0, 1];
    if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
    if (log) return [lo / 1.1, hi * 1.1];
    var pad = (hi - lo) * 0.04;
    return [lo - pad, hi + pad];
  }

  function build(metric, panel, el, sync) {
    var log = state.log && metric.loss;
    var range = rangeOf(state.sharedRange ? metric.panels : [panel], log);
    var xs = data.xs;
    var series = [{ label: 'epoch' }], columns = [xs], bands = [], roles = [];
    panel.series.forEach(function (s) {
      var mean = smooth(s.mean, state.smoothing);
      var upper = mean.map(function (m, i) { return m === null || s.std[i] === null ? null : m + s.std[i]; });
      var lower = mean.map(function (m, i) { return m === null || s.std[i] === null ? null : m - s.std[i]; });
      var at = columns.length;
      columns.push(mean, upper, lower);
      series.push({ label: s.label, stroke: s.color, width: 2, value: fmt });
      series.push({ label: s.label + ' +1 std', stroke: 'transparent', value: fmt });
      series.push({ label: s.label + ' −1 std', stroke: 'transparent', value: fmt });
      roles.push('mean', 'band', 'band');
      bands.push({ series: [at + 1, at + 2], fill: s.color + '26' });
      s.runs.forEach(function (r) {
        columns.push(smooth(r.values, state.smoothing));
        series.push({ label: s.label + ' seed ' + r.seed, stroke: s.color + '99', width: 1, show: state.runs, value: fmt });
        roles.push('run');
      });
    });
    var u = new uPlot({
      title: panel.title,
      width: 420,
      height: 260,
      series: series,
      bands: bands,
      scales: { x: { time: false }, y: { distr: log ? 3 : 1, range: function () { return range; } } },
      axes: [{ label: 'epoch' }, log ? { size: 56, values: logTicks } : { size: 56 }],
      cursor: { sync: { key: sync } },
      legend: { live: true },
    }, columns, el);
    u.nnlab = { metric: metric.column, roles: roles };
    // The ±1 std bounds are drawn as a band, not listed; run rows only while runs are shown.
    var rows = u.root.querySelectorAll('.u-legend .u-series');
    roles.forEach(function (role, i) {
      var row = rows[i + 1];
      if (!row) return;
      if (role === 'band') row.style.display = 'none';
      if (role === 'run') { row.classList.add('run-row'); row.style.display = state.runs ? '' : 'none'; }
    });
    return u;
  }

  // Log axes: small powers of ten as 1e-4 rather than uPlot's rounded 0.
  function logTicks(u, splits) { return splits.map(function (v) { return v === null ? '' : Math.abs(v) < 0.001 || Math.abs(v) >= 1e5 ? v.toExponential(0) : String(Number(v.toPrecision(3))); }); }

  function fmt(u, v) { return v === null || v === undefined ? '—' : Number(v.toPrecision(4)).toString(); }

  function render() {
    charts.forEach(function (c) { c.destroy(); });
    charts.length = 0;
    data.metrics.forEach(function (metric) {
      var holder = document.querySelector('[data-metric="' + metric.column + '"]');
      var sync = uPlot.sync('nnlab-' + metric.column);
      metric.panels.forEach(function (panel, p) {
        var el = holder.querySelectorAll('.chart')[p];
        el.innerHTML = '';
        var u = build(metric, panel, el, sync.key);
        sync.sub(u);
        charts.push(u);
      });
    });
  }

  // The answer's evidence: full width, each panel on its own range; a difference's seed range as a band.
  var evidenceCharts = [];
  window.nnlabEvidence = evidenceCharts;
  (function () {
    var holders = document.querySelectorAll('.evidence-chart');
    var at = 0;
    (data.evidence || []).forEach(function (block) {
      block.panels.forEach(function (panel) {
        var el = holders[at++];
        if (!el) return;
        var xs = data.xs;
        var series = [{ label: 'epoch' }], columns = [xs], bands = [];
        panel.lines.forEach(function (l) {
          columns.push(l.values);
          series.push({ label: l.label, stroke: l.color, width: l.zero ? 1 : 2, dash: l.zero ? [6, 4] : undefined, value: fmt });
        });
        if (panel.band) {
          var first = columns.length;
          columns.push(panel.band.high, panel.band.low);
          series.push({ label: panel.band.label, stroke: 'transparent', value: fmt }, { label: 'low', stroke: 'transparent', value: fmt });
          bands.push({ series: [first, first + 1], fill: '#1f77b433' });
        }
        var u = new uPlot({
          title: panel.title, width: Math.max(420, el.clientWidth || 900), height: 240, series: series, bands: bands,
          scales: { x: { time: false } }, axes: [{ label: 'epoch' }, { size: 64 }], legend: { live: false },
        }, columns, el);
        // The band's lower edge is not a line of its own: one legend row says what the band is.
        var rows = u.root.querySelectorAll('.u-legend .u-series');
        if (panel.band && rows[series.length - 1]) rows[series.length - 1].style.display = 'none';
        evidenceCharts.push(u);
      });
    });
  })();

  // Inside the network: a line per layer, ±1 std bands on linear scales; drawn when a block is opened.
  function layerChart(chart, el) {
    var xs = data.layerXs;
    var series = [{ label: 'epoch' }], columns = [xs], bands = [];
    chart.series.forEach(function (s) {
      var at = columns.length;
      series.push({ label: s.label, stroke: s.color, width: 2, value: fmt });
      columns.push(s.mean.map(function (m) { return chart.log && m !== null && m <= 0 ? null : m; }));
      if (!chart.log) {
        // A share (dead_share, saturated_share) lies in [0, 1]: its band does too.
        var clamp = /share$/.test(chart.signal) ? function (v) { return Math.min(1, Math.max(0, v)); } : function (v) { return v; };
        columns.push(s.mean.map(function (m, i) { return m === null || s.std[i] === null ? null : clamp(m + s.std[i]); }));
        columns.push(s.mean.map(function (m, i) { return m === null || s.std[i] === null ? null : clamp(m - s.std[i]); }));
        series.push({ label: '+1 std', stroke: 'transparent' }, { label: '−1 std', stroke: 'transparent' });
        bands.push({ series: [at + 1, at + 2], fill: s.color + '26' });
      }
    });
    var u = new uPlot({
      title: chart.signal + (chart.log ? ' (log)' : ''), width: 330, height: 220, series: series, bands: bands,
      scales: { x: { time: false }, y: { distr: chart.log ? 3 : 1 } }, axes: [{}, chart.log ? { size: 56, values: logTicks } : { size: 56 }], legend: { live: true },
    }, columns, el);
    u.root.querySelectorAll('.u-legend .u-series').forEach(function (row, i) { if (/std$/.test(series[i].label)) row.style.display = 'none'; });
    return u;
  }
  var layerCharts = [];
  window.nnlabLayerCharts = layerCharts;
  document.querySelectorAll('details.layers').forEach(function (block, b) {
    function draw() {
      if (!block.open || block.dataset.drawn) return;
      block.dataset.drawn = '1';
      block.querySelectorAll('.layer-chart').forEach(function (el, c) { layerCharts.push(layerChart(data.layers[b].charts[c], el)); });
    }
    block.addEventListener('toggle', draw);
    draw();
  });

  // Random sweeps: points only, one series per colour of the curves, at each sampled value.
  var scatters = [];
  window.nnlabScatters = scatters;
  document.querySelectorAll('.scatter-chart').forEach(function (el, i) {
    var chart = data.scatters[i];
    var series = [{ label: chart.xLabel, value: function (u, v) { return v === null || v === undefined ? '—' : Number(v.toPrecision(3)).toString(); } }];
    chart.series.forEach(function (s) {
      series.push({ label: s.label, stroke: s.color, fill: s.color, paths: function () { return null; }, points: { show: true, size: 9, fill: s.color }, value: function (u, v, si, idx) { return v === null || v === undefined ? '—' : fmt(u, v) + (s.std[idx] !== null ? ' ± ' + fmt(u, s.std[idx]) : ''); } });
    });
    scatters.push(new uPlot({
      title: chart.title, width: 330, height: 240, series: series,
      scales: { x: { time: false, distr: chart.log ? 3 : 1 } }, axes: [chart.log ? { label: chart.xLabel + ' (log)', values: logTicks } : { label: chart.xLabel }, { size: 56 }],
      cursor: { points: { size: 11 } }, legend: { live: true },
    }, [chart.xs].concat(chart.series.map(function (s) { return s.ys; })), el));
  });

  document.getElementById('smoothing').addEventListener('input', function (e) {
    state.smoothing = Number(e.target.value);
    document.getElementById('smoothing-value').textContent = state.smoothing.toFixed(2);
    render();
  });
  document.getElementById('show-runs').addEventListener('change', function (e) { state.runs = e.target.checked; render(); });
  document.getElementById('log-losses').addEventListener('change', function (e) { state.log = e.target.checked; render(); });
  document.getElementById('shared-range').addEventListener('change', function (e) { state.sharedRange = e.target.checked; render(); });
  render();
})();
`;
