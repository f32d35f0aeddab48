package io.epochring.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a JMH benchmark method the way JMH would, once, without JMH: creates its {@code @State}
 * objects (and the states their fixtures ask for), fills their {@code @Param} fields, calls
 * {@code @Setup} (trial, iteration, invocation), the benchmark method once, and {@code @TearDown} in
 * reverse, always. One call per combination of parameter values, so a value the code no longer
 * understands fails here rather than in a 40-minute run.
 */
final class JmhSmoke {

    private JmhSmoke() {
    }

    /** One combination of {@code @Param} values. */
    record Combination(Map<Field, String> values) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            values.forEach((field, value) -> s.append(s.length() == 0 ? "" : ", ").append(field.getName()).append('=').append(value));
            return s.length() == 0 ? "(no params)" : s.toString();
        }
    }

    /** @return every combination of the {@code @Param} values of the states {@code benchmark} uses */
    static List<Combination> combinations(Method benchmark) {
        List<Combination> combinations = new ArrayList<>();
        combinations.add(new Combination(new LinkedHashMap<>()));
        for (Class<?> state : statesOf(benchmark)) {
            for (Field field : state.getFields()) {
                Param param = field.getAnnotation(Param.class);
                if (param == null) {
                    continue;
                }
                List<Combination> widened = new ArrayList<>();
                for (Combination combination : combinations) {
                    for (String value : valuesOf(field, param)) {
                        Map<Field, String> values = new LinkedHashMap<>(combination.values());
                        values.put(field, value);
                        widened.add(new Combination(values));
                    }
                }
                combinations = widened;
            }
        }
        return combinations;
    }

    /**
     * Sets up, runs once and tears down {@code benchmark} with the given parameter values.
     *
     * @return what the benchmark method returned
     */
    static Object runOnce(Method benchmark, Combination combination) throws Throwable {
        Map<Class<?>, Object> states = new LinkedHashMap<>();
        for (Class<?> type : statesOf(benchmark)) {
            Object state = newInstance(type);
            for (Map.Entry<Field, String> value : combination.values().entrySet()) {
                if (value.getKey().getDeclaringClass() == type) {
                    value.getKey().set(state, convert(value.getKey().getType(), value.getValue()));
                }
            }
            states.put(type, state);
        }
        List<Object> setUp = new ArrayList<>();
        Throwable failure = null;
        Object result = null;
        try {
            for (Level level : Level.values()) {
                for (Object state : states.values()) {
                    setUp.add(state);
                    fixtures(state, Setup.class, level, states);
                }
            }
            Object benchmarkInstance = newInstance(benchmark.getDeclaringClass());
            result = invoke(benchmark, benchmarkInstance, argumentsFor(benchmark, states));
        } catch (Throwable e) {
            failure = e;
        } finally {
            List<Level> levels = new ArrayList<>(Arrays.asList(Level.values()));
            java.util.Collections.reverse(levels);
            List<Object> reversed = new ArrayList<>(new LinkedHashSet<>(setUp));
            java.util.Collections.reverse(reversed);
            for (Level level : levels) {
                for (Object state : reversed) {
                    try {
                        fixtures(state, TearDown.class, level, states);
                    } catch (Throwable e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /** @return the states a benchmark uses, shared ones (benchmark, group scope) before per-thread ones */
    static List<Class<?>> statesOf(Method benchmark) {
        if (benchmark.getAnnotation(Benchmark.class) == null) {
            throw new IllegalArgumentException(benchmark + " is not a @Benchmark method");
        }
        Set<Class<?>> found = new LinkedHashSet<>();
        for (Class<?> type : benchmark.getParameterTypes()) {
            addWithDependencies(type, found);
        }
        List<Class<?>> ordered = new ArrayList<>(found);
        ordered.sort(Comparator.comparing(type -> type.getAnnotation(State.class).value() == Scope.Thread));
        return ordered;
    }

    private static void addWithDependencies(Class<?> type, Set<Class<?>> found) {
        if (type.getAnnotation(State.class) == null) {
            throw new IllegalArgumentException(type.getName() + " is not a @State class (Blackhole and friends are not supported here)");
        }
        for (Method method : type.getMethods()) {
            if (method.getAnnotation(Setup.class) != null || method.getAnnotation(TearDown.class) != null) {
                for (Class<?> dependency : method.getParameterTypes()) {
                    addWithDependencies(dependency, found);
                }
            }
        }
        found.add(type);
    }

    private static List<String> valuesOf(Field field, Param param) {
        if (param.value().length > 0) {
            return Arrays.asList(param.value());
        }
        if (field.getType().isEnum()) {
            return Arrays.stream(field.getType().getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
        }
        throw new IllegalArgumentException("@Param " + field + " lists no values");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(Class<?> type, String value) {
        if (type == String.class) {
            return value;
        }
        if (type == int.class || type == Integer.class) {
            return Integer.parseInt(value);
        }
        if (type == long.class || type == Long.class) {
            return Long.parseLong(value);
        }
        if (type == boolean.class || type == Boolean.class) {
            return Boolean.parseBoolean(value);
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class<? extends Enum>) type, value);
        }
        throw new IllegalArgumentException("cannot convert @Param value '" + value + "' to " + type.getName());
    }

    private static void fixtures(Object state, Class<? extends java.lang.annotation.Annotation> kind, Level level,
                                 Map<Class<?>, Object> states) throws Throwable {
        for (Method method : state.getClass().getMethods()) {
            java.lang.annotation.Annotation annotation = method.getAnnotation(kind);
            Level declared = annotation instanceof Setup setup ? setup.value()
                             : annotation instanceof TearDown tearDown ? tearDown.value() : null;
            if (declared == level) {
                invoke(method, state, argumentsFor(method, states));
            }
        }
    }

    private static Object[] argumentsFor(Method method, Map<Class<?>, Object> states) {
        return Arrays.stream(method.getParameterTypes()).map(states::get).toArray();
    }

    private static Object invoke(Method method, Object target, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object newInstance(Class<?> type) throws ReflectiveOperationException {
        return type.getDeclaredConstructor().newInstance();
    }
}
