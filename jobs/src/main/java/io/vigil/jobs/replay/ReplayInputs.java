package io.vigil.jobs.replay;

import io.vigil.formats.Formats;
import io.vigil.formats.evtx.EvtxReader;
import io.vigil.formats.input.FormatDetector;
import io.vigil.formats.input.Framers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The files a replay reads, each with its format, and the files it leaves out.
 *
 * <p>A file named on the command line is the analyst's choice: it must exist, be readable and have
 * a detectable format (or {@code --format} given), or the replay fails before starting, naming it.
 * A directory is a collection (a KAPE or Velociraptor triage folder, say), read recursively: what
 * Vigil does not read there (a README, a hash list, an empty file, a file it cannot open) is
 * skipped with the reason, so one stray file does not stop the replay of the others. Also skipped
 * in a directory: hidden files and directories (name starting with {@code .}: a {@code .git} is
 * listed once, not file by file), symbolic links (never followed, so a collection cannot lead the
 * replay out of itself; name the target to read it), and what is not a regular file (pipes,
 * devices).
 */
public final class ReplayInputs {

    /** Skip reasons; a file that cannot be opened or read has "cannot read: " and the cause. */
    public static final String NOT_DETECTED = "format not detected";
    public static final String EMPTY = "empty file";
    public static final String HIDDEN = "hidden";
    public static final String HIDDEN_DIRECTORY = "hidden directory";
    public static final String SYMBOLIC_LINK = "symbolic link, not followed";
    public static final String NOT_REGULAR = "not a regular file";
    public static final String NOT_EVTX = "not a Windows event log file (--format evtx)";
    public static final String CANNOT_READ = "cannot read: ";

    /** What to read and what was left out, each in path order per input. */
    public record Resolved(List<ReplaySummary.InputFile> files, List<ReplaySummary.SkippedFile> skipped) {}

    private ReplayInputs() {}

    /**
     * @param inputs files and directories, as given on the command line
     * @param format the format of every file, or {@code null} to detect it per file
     * @throws IOException naming the first input named explicitly that is missing, unreadable or of
     *     no detectable format
     */
    public static Resolved resolve(List<Path> inputs, String format) throws IOException {
        if (format != null && !Formats.isKnown(format)) {
            throw new IllegalArgumentException("unknown format '" + format + "'; formats: " + Formats.ALL);
        }
        List<ReplaySummary.InputFile> files = new ArrayList<>();
        List<ReplaySummary.SkippedFile> skipped = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                List<ReplaySummary.SkippedFile> left = new ArrayList<>();
                for (Path f : walk(input, left)) {
                    Head head = head(f);
                    ReplaySummary.InputFile read = head.problem == null ? inputFile(f, head.bytes, format) : null;
                    String reason = head.problem != null ? head.problem : skipReason(read, head.bytes, format);
                    if (reason != null) {
                        left.add(new ReplaySummary.SkippedFile(f.toString(), reason));
                    } else {
                        files.add(read);
                    }
                }
                left.sort(Comparator.comparing(ReplaySummary.SkippedFile::path));
                skipped.addAll(left);
            } else if (Files.isRegularFile(input)) {
                Head head = head(input);
                if (head.problem != null) {
                    throw new IOException("cannot read " + input + " (" + head.problem.substring(CANNOT_READ.length()) + ")");
                }
                if (Formats.EVTX.equals(format) && !EvtxReader.isEvtx(head.bytes)) {
                    // said before the job starts, not as a task failure in its middle
                    throw new IOException(input + " is not a Windows event log file (no ElfFile signature): "
                            + "--format evtx reads only .evtx files");
                }
                ReplaySummary.InputFile f = inputFile(input, head.bytes, format);
                if (f.format() == null) {
                    throw new Framers.UnknownFormatException(input.toString());
                }
                files.add(f);
            } else {
                throw new IOException("no such file: " + input);
            }
        }
        return new Resolved(List.copyOf(files), List.copyOf(skipped));
    }

    private static ReplaySummary.InputFile inputFile(Path f, byte[] head, String format) {
        return format != null ? new ReplaySummary.InputFile(f.toString(), format, false)
                : new ReplaySummary.InputFile(f.toString(), FormatDetector.detect(head), true);
    }

    /** Why a file found in a directory is not read ({@code read}: its format, given or detected), or null to read it. */
    private static String skipReason(ReplaySummary.InputFile read, byte[] head, String format) {
        if (head.length == 0) {
            return EMPTY;
        }
        if (read.format() == null) {
            return NOT_DETECTED;
        }
        // --format is the analyst's word for every file, except that evtx is a binary file format
        // a stray text file cannot be read as
        return Formats.EVTX.equals(format) && !EvtxReader.isEvtx(head) ? NOT_EVTX : null;
    }

    /** The regular files under {@code dir} in path order; what is left out goes to {@code skipped}. */
    private static List<Path> walk(Path dir, List<ReplaySummary.SkippedFile> skipped) throws IOException {
        // the directory named may itself be a link (the analyst's choice): walk its target, name
        // what is found under the name given
        Path start = Files.isSymbolicLink(dir) ? dir.toRealPath() : dir;
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(start) && hidden(d)) {
                    skipped.add(new ReplaySummary.SkippedFile(named(d).toString(), HIDDEN_DIRECTORY));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                String reason = attrs.isSymbolicLink() ? SYMBOLIC_LINK
                        : hidden(f) ? HIDDEN
                        : !attrs.isRegularFile() ? NOT_REGULAR
                        : null;
                if (reason != null) {
                    skipped.add(new ReplaySummary.SkippedFile(named(f).toString(), reason));
                } else {
                    files.add(named(f));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                skipped.add(new ReplaySummary.SkippedFile(named(f).toString(), CANNOT_READ + cause(e)));
                return FileVisitResult.CONTINUE;
            }

            private Path named(Path p) {
                return start == dir ? p : dir.resolve(start.relativize(p));
            }
        });
        files.sort(null);
        return files;
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    /** The first bytes of a file (decompressed for {@code .gz}), or why they cannot be read. */
    private record Head(byte[] bytes, String problem) {}

    private static Head head(Path f) {
        try (InputStream raw = Files.newInputStream(f);
             InputStream in = f.getFileName().toString().endsWith(".gz") && Files.size(f) > 0
                     ? new GZIPInputStream(raw) : raw) {
            return new Head(in.readNBytes(Framers.PEEK_BYTES), null);
        } catch (IOException e) {
            return new Head(null, CANNOT_READ + cause(e));
        }
    }

    /** The cause of a read failure in a few words, without the path (given beside it). */
    static String cause(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason(); // its message would repeat the path
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
