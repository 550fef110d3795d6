/**
 * typegrad/viz, the pictures entry: SVG line charts and surface plots, axis ticks, and dataflow
 * graphs of expressions (DOT, and SVG through Graphviz compiled to WebAssembly, `@viz-js/viz`,
 * an optional peer). Browser-safe like the core.
 */
export { lineChart } from './line-chart.js';
export type { LineChartOptions, Series, AxisOptions } from './line-chart.js';
export { surfacePlot } from './surface.js';
export type { SurfacePlotOptions, SurfaceDomain } from './surface.js';
export { niceTicks, logTicks } from './ticks.js';
export type { Ticks } from './ticks.js';
export { escapeXml } from './escape.js';
export { toDot, renderDot, toSvg, EDGE_COLORS } from './graphviz.js';
export type { Graphable, GraphRoots, DotOptions, GraphSvgOptions } from './graphviz.js';
