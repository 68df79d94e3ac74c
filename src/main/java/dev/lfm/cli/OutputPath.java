package dev.lfm.cli;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The converter of every output-file flag ({@code --save}, {@code --report}, {@code --chart}):
 * {@link Path} drops a trailing slash, so "newdir/" would become a file named "newdir"; a path
 * that ends in a separator names a directory and is refused here, in the words a later write
 * would use.
 */
final class OutputPath implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        if (value.isEmpty()) {
            throw new TypeConversionException("an empty path names no file");
        }
        if (value.endsWith("/") || value.endsWith(File.separator)) {
            throw new TypeConversionException(value + ": cannot write: is a directory (give a file name)");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException(value + ": not a valid path: " + e.getReason());
        }
    }
}
