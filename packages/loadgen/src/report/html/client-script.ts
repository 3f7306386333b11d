/**
 * The report page's script, as text inlined into the HTML: it reads the chart data embedded in the
 * page and draws every chart with uPlot (inlined too), so the file opens offline.
 *
 * Invariants: the script only reads `#report-data` and writes into the chart containers; a chart
 * without data shows a one-line note instead of an empty frame; nothing is fetched.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  var main = document.querySelector('main');
  function width() { return Math.max(320, Math.min(1100, main.clientWidth - 16)); }
  function note(el, text) {
    var p = document.createElement('p');
    p.className = 'empty';
    p.textContent = text;
    el.appendChild(p);
  }
  function hasData(chart) {
    return chart.x.length > 0 && chart.series.some(function (s) { return s.values.some(function (v) { return v !== null; }); });
  }
  function plot(id, title, chart, options) {
    var el = document.getElementById(id);
    if (!hasData(chart)) return note(el, title + ': no data in this result.');
    var series = [{ label: options.xLabel }].concat(chart.series.map(function (s, i) {
      var spec = { label: s.label, stroke: palette[i % palette.length], width: 1.5 };
      if (options.fill) spec.fill = palette[i % palette.length] + '55';
      if (options.paths) spec.paths = options.paths(i);
      if (options.scaleOf) spec.scale = options.scaleOf(s, i);
      if (options.paths) spec.points = { show: false };
      return spec;
    }));
    var opts = {
      title: title,
      width: width(),
      height: 280,
      scales: options.scales || timeScales,
      axes: options.axes,
      series: series,
      legend: { live: true }
    };
    new uPlot(opts, [chart.x].concat(chart.series.map(function (s) { return s.values; })), el);
  }
  function yAxis(label, scale, side) {
    var axis = { label: label, size: 70 };
    if (scale) { axis.scale = scale; axis.side = side || 1; axis.grid = { show: false }; }
    return axis;
  }
  var seconds = { label: 'seconds since start' };
  // Counts and latencies read from zero, so a small difference never looks like a cliff.
  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; }
  var timeScales = { x: { time: false }, y: { range: fromZero } };

  plot('chart-throughput', 'Throughput (records/s)', data.throughput, {
    xLabel: 's', axes: [seconds, yAxis('records/s')]
  });
  plot('chart-latency', 'Latency percentiles over time (ms)', data.latency, {
    xLabel: 's', axes: [seconds, yAxis('ms')]
  });
  function percentLabel(v) {
    if (v == null) return '';
    return (Math.round((100 - 100 / v) * 10000) / 10000) + '%';
  }
  plot('chart-percentiles', 'Latency by percentile (ms)', data.percentiles, {
    xLabel: '1/(1-q)',
    scales: { x: { time: false, distr: 3, log: 10 }, y: { range: fromZero } },
    axes: [
      { label: 'percentile', values: function (u, splits) { return splits.map(percentLabel); } },
      yAxis('ms')
    ]
  });
  function bars(id, title, shards, axisLabels) {
    var chart = { x: shards.ids.map(function (_, i) { return i; }), series: shards.series.slice(0, 2) };
    var el = document.getElementById(id);
    if (shards.ids.length === 0) return note(el, title + ': no per-shard data in this result.');
    plot(id, title, chart, {
      xLabel: 'shard',
      fill: true,
      paths: function (i) { return uPlot.paths.bars({ size: [0.35, 80], align: i === 0 ? -1 : 1 }); },
      scaleOf: function (s, i) { return i === 0 ? 'y' : 'y2'; },
      scales: { x: { time: false, range: [-0.5, shards.ids.length - 0.5] }, y: { range: fromZero }, y2: { range: fromZero } },
      axes: [
        {
          label: 'shard',
          splits: function () { return chart.x; },
          values: function (u, splits) { return splits.map(function (v) { return shards.ids[v] || ''; }); }
        },
        yAxis(axisLabels[0]),
        yAxis(axisLabels[1], 'y2', 1)
      ]
    });
  }
  bars('chart-producer-shards', 'Per-shard load and throttles (producer)', data.producerShards, ['Kinesis records put', 'throttled records']);
  plot('chart-consumer-lag', 'Consumer lag over time', data.consumerLag, {
    xLabel: 's',
    scaleOf: function (s, i) { return i === 0 ? 'y' : 'y2'; },
    scales: { x: { time: false }, y: { range: fromZero }, y2: { range: fromZero } },
    axes: [seconds, yAxis('backlog (records)')].concat(data.consumerLag.series.length > 1 ? [yAxis('IteratorAge (ms)', 'y2', 1)] : [])
  });
  bars('chart-consumer-shards', 'Per-shard consumer IteratorAge', {
    ids: data.consumerShards.ids,
    series: [data.consumerShards.series[1], data.consumerShards.series[0]]
  }, ['IteratorAge (ms)', 'records read']);
  document.body.setAttribute('data-rendered', String(document.querySelectorAll('.uplot').length));
})();
`;
