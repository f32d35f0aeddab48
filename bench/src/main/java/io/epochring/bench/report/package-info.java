/**
 * The report tool: reads a JMH JSON result file and writes a markdown report with PNG charts
 * (JFreeChart) into {@code perf-results/}. Entry point: {@link io.epochring.bench.report.PerfReport}.
 *
 * <pre>
 *  RUN.json --JmhResult.parseAll--> rows --MarkdownReport--> RUN.md (targets, tables, ratios)
 *                                        \--Charts---------> RUN-&lt;Benchmark&gt;.png
 * </pre>
 */
package io.epochring.bench.report;
