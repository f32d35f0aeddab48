package io.epochring.kv.cli;

import io.epochring.WriteCodec;
import io.epochring.journal.CodecIdentity;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * Creates the codec {@code epochring inspect --codec CLASS} names: a class on the classpath that
 * implements {@link WriteCodec}, with a public no-argument constructor. Every failure says what
 * was wrong with the class and what to do.
 */
final class CodecLoader {

    /** How to put a codec's jar beside the tool's: {@code java -jar} ignores {@code -cp}. */
    static final String CLASSPATH_HINT = "put its jar on the classpath: java -cp epochring.jar:your-codec.jar "
                                         + EpochRingCli.class.getName() + " inspect ...";

    private CodecLoader() {
    }

    /** @throws UsageException naming the class and what is wrong with it */
    static WriteCodec<?> load(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, classLoader());
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new UsageException("--codec " + className + ": no such class on the classpath (" + EpochRingCli.oneLine(e)
                                     + "); give the fully qualified class name, and " + CLASSPATH_HINT);
        } catch (ExceptionInInitializerError e) {
            throw new UsageException("--codec " + className + ": the class failed to initialise: " + EpochRingCli.oneLine(e.getCause())
                                     + "; fix the codec");
        }
        if (!WriteCodec.class.isAssignableFrom(type)) {
            throw new UsageException("--codec " + className + " is not a " + WriteCodec.class.getName()
                                     + ": give the class that implements it, the one the store was built with");
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new UsageException("--codec " + className + " is abstract: give a concrete class implementing "
                                     + WriteCodec.class.getName());
        }
        WriteCodec<?> codec = instantiate(type, className);
        try {
            new CodecIdentity(codec.name(), codec.version());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--codec " + className + ": " + e.getMessage());
        }
        return codec;
    }

    private static WriteCodec<?> instantiate(Class<?> type, String className) {
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new UsageException("--codec " + className + " has no public no-argument constructor: add one, or give a class"
                                     + " with one that creates the codec");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new UsageException("--codec " + className + " is not public: make the class public so the tool can create it");
        }
        try {
            return (WriteCodec<?>) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new UsageException("--codec " + className + ": its constructor failed: " + EpochRingCli.oneLine(e.getCause())
                                     + "; fix the codec");
        } catch (ReflectiveOperationException e) {
            throw new UsageException("--codec " + className + " could not be created (" + EpochRingCli.oneLine(e)
                                     + "): give a public class with a public no-argument constructor");
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : CodecLoader.class.getClassLoader();
    }
}
