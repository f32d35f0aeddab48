package io.epochring.bench;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmarks from rotting: every benchmark JMH knows of (from the generated
 * BenchmarkList, so a new one is covered without touching this test) runs its setup, one
 * operation and its teardown, once per combination of its parameters. CI runs this; it does not
 * run the benchmarks.
 */
class BenchmarkSmokeTest {

    @TestFactory
    Stream<DynamicNode> everyBenchmarkShouldSetUpRunOnceAndTearDownForEveryParameterCombination() throws Exception {
        return benchmarkMethods().stream().map(method -> DynamicContainer.dynamicContainer(
            method.getDeclaringClass().getSimpleName() + "." + method.getName(),
            JmhSmoke.combinations(method).stream().map(combination -> DynamicTest.dynamicTest(
                combination.toString(), () -> JmhSmoke.runOnce(method, combination)))));
    }

    @Test
    void shouldFindTheSuitesBenchmarksInTheGeneratedList() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Method method : benchmarkMethods()) {
            names.add(method.getDeclaringClass().getSimpleName() + "." + method.getName());
        }
        assertThat(names).contains("OneToOneApplyThroughput.epochRing", "OneToOneApplyThroughput.peer",
                                   "OneToOneApplyThroughput.ceiling", "TwoToOneApplyThroughput.epochRing",
                                   "TwoToOneApplyThroughput.peer", "TwoToOneApplyThroughput.ceiling",
                                   "PingPongApplyLatency.epochRing", "PingPongApplyLatency.peer",
                                   "JournaledThroughput.epochRing", "JournaledThroughput.ceiling",
                                   "DurableGroupCommit.epochRing", "DurableGroupCommit.ceiling",
                                   "ReplayThroughput.epochRing", "ReplayThroughput.ceiling",
                                   "BatchPublishThroughput.epochRing", "BatchPublishThroughput.peer",
                                   "BatchPublishThroughput.ceiling", "ReplicatedLatency.replicated",
                                   "ReplicatedLatency.journaled", "ReplicatedThroughput.replicated",
                                   "ReplicatedThroughput.journaled");
    }

    private static List<Method> benchmarkMethods() throws Exception {
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        Set<BenchmarkListEntry> entries = BenchmarkList.defaultList()
                                                       .getAll(OutputFormatFactory.createFormatInstance(silent, VerboseMode.SILENT), List.of());
        Set<String> seen = new TreeSet<>();
        List<Method> methods = new ArrayList<>();
        for (BenchmarkListEntry entry : new TreeSet<>(entries)) {
            String name = entry.getUsername();
            String methodName = name.substring(name.lastIndexOf('.') + 1);
            if (seen.add(name)) {
                Class<?> type = Class.forName(entry.getUserClassQName());
                methods.add(Arrays.stream(type.getMethods())
                                  .filter(m -> m.getName().equals(methodName))
                                  .findFirst().orElseThrow());
            }
        }
        return methods;
    }
}
