package dev.gdkit.volgen.catalog;

import dev.gdkit.core.volgen.OptionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the option tables that GlusterFS translator libraries ({@code xlator/CATEGORY/NAME.so})
 * export, without loading them: the ELF file's dynamic symbol {@code xlator_api} (or the older
 * {@code options}) is located, its data-relocations are applied, and each {@code volume_option_t}
 * record is decoded. Supports 64-bit little-endian ELF (x86-64 and AArch64), the layouts GlusterFS
 * froze for GlusterD2. Stateless; thread-safe.
 */
public final class XlatorLibraryReader {
    private static final Logger LOG = LoggerFactory.getLogger(XlatorLibraryReader.class);
    /** Where Debian and most distributions install GlusterFS's libraries. */
    public static final List<Path> DEFAULT_ROOTS = List.of(Path.of("/usr/lib/x86_64-linux-gnu/glusterfs"),
            Path.of("/usr/lib/aarch64-linux-gnu/glusterfs"), Path.of("/usr/lib64/glusterfs"), Path.of("/usr/lib/glusterfs"));

    /** sizeof(volume_option_t) on LP64 and the offsets of its fields. */
    private static final int OPT_SIZE = 1152;
    private static final int OFF_TYPE = 32;
    private static final int OFF_MIN = 40;
    private static final int OFF_MAX = 48;
    private static final int OFF_VALUES = 56;
    private static final int OFF_DEFAULT = 568;
    private static final int OFF_DESCRIPTION = 576;
    private static final int OFF_VALIDATE = 584;
    private static final int OFF_OP_VERSION = 588;
    private static final int OFF_FLAGS = 620;
    private static final int OFF_SETKEY = 1136;
    /** Offset of the options pointer in xlator_api_t (after op_version[4], flags, xlator_id, identifier). */
    private static final int API_OFF_OPTIONS = 32;

    /** The newest {@code <root>/<version>/xlator} directory of an installed GlusterFS, if any. */
    public static Optional<Path> findInstalled() {
        for (Path root : DEFAULT_ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.list(root)) {
                Optional<Path> best = s.filter(p -> Files.isDirectory(p.resolve("xlator")))
                        .max((a, b) -> compareVersions(a.getFileName().toString(), b.getFileName().toString()));
                if (best.isPresent()) {
                    return Optional.of(best.get().resolve("xlator"));
                }
            } catch (IOException e) {
                LOG.debug("cannot list {}: {}", root, e.toString());
            }
        }
        return Optional.empty();
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            try {
                c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            } catch (NumberFormatException e) {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /**
     * Reads every translator under an {@code xlator} directory. Socket transport options
     * ({@code ../rpc-transport/socket.so}) are added to {@code protocol/client} and
     * {@code protocol/server}, as both accept them. Libraries that cannot be decoded are skipped
     * with a warning.
     */
    public XlatorTables readAll(Path xlatorDir) throws IOException {
        Map<String, List<XlatorOptionDef>> tables = new TreeMap<>();
        List<Path> libs;
        try (Stream<Path> s = Files.walk(xlatorDir)) {
            libs = s.filter(p -> p.getFileName().toString().endsWith(".so")).sorted().toList();
        }
        for (Path lib : libs) {
            Path rel = xlatorDir.relativize(lib);
            if (rel.getNameCount() != 2) {
                continue;
            }
            String type = rel.getName(0) + "/" + rel.getName(1).toString().replaceFirst("\\.so$", "");
            try {
                tables.put(type, read(lib));
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping translator library {}: {}", lib, e.toString());
            }
        }
        Path socket = xlatorDir.resolveSibling("rpc-transport").resolve("socket.so");
        if (Files.isRegularFile(socket)) {
            List<XlatorOptionDef> sock = read(socket);
            for (String t : List.of("protocol/client", "protocol/server")) {
                List<XlatorOptionDef> merged = new ArrayList<>(tables.getOrDefault(t, List.of()));
                merged.addAll(sock);
                tables.put(t, merged);
            }
        }
        String version = xlatorDir.toAbsolutePath().getParent().getFileName().toString();
        return new XlatorTables(xlatorDir.toString(), version, tables);
    }

    /** Reads one library's option table (empty when it exports none). */
    public List<XlatorOptionDef> read(Path library) throws IOException {
        Elf elf = new Elf(Files.readAllBytes(library));
        long table = 0;
        Long api = elf.symbol("xlator_api");
        if (api != null) {
            table = elf.pointer(api + API_OFF_OPTIONS);
        }
        if (table == 0) {
            Long opts = elf.symbol("options");
            table = opts == null ? 0 : opts;
        }
        List<XlatorOptionDef> out = new ArrayList<>();
        if (table == 0) {
            return out;
        }
        for (long rec = table; ; rec += OPT_SIZE) {
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                String key = elf.string(elf.pointer(rec + 8L * k));
                if (key != null) {
                    keys.add(key);
                }
            }
            if (keys.isEmpty() || elf.pointer(rec) == 0) {
                break;
            }
            List<String> values = new ArrayList<>();
            for (int v = 0; v < 64; v++) {
                String val = elf.string(elf.pointer(rec + OFF_VALUES + 8L * v));
                if (val == null) {
                    break;
                }
                values.add(val);
            }
            int validate = elf.int32(rec + OFF_VALIDATE);
            out.add(new XlatorOptionDef(keys, OptionType.ofCode(elf.int32(rec + OFF_TYPE)).name(),
                    elf.float64(rec + OFF_MIN), elf.float64(rec + OFF_MAX), values,
                    orEmpty(elf.string(elf.pointer(rec + OFF_DEFAULT))),
                    orEmpty(elf.string(elf.pointer(rec + OFF_DESCRIPTION))),
                    validate == 1 ? "MIN" : validate == 2 ? "MAX" : "BOTH",
                    elf.int32(rec + OFF_OP_VERSION), elf.int32(rec + OFF_FLAGS),
                    orEmpty(elf.string(elf.pointer(rec + OFF_SETKEY)))));
            if (out.size() > 1000) {
                throw new IOException("option table of " + library + " does not end");
            }
        }
        return out;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The parts of a 64-bit little-endian ELF shared object needed to read initialised data. */
    private static final class Elf {
        private static final int R_X86_64_64 = 1;
        private static final int R_X86_64_RELATIVE = 8;
        private static final int R_AARCH64_ABS64 = 257;
        private static final int R_AARCH64_RELATIVE = 1027;
        private final ByteBuffer b;
        private final List<long[]> loads = new ArrayList<>();
        private final Map<String, Long> symbols = new HashMap<>();
        private final Map<Long, Long> relocated = new HashMap<>();

        Elf(byte[] bytes) throws IOException {
            b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.length < 64 || b.getInt(0) != 0x464c457f || bytes[4] != 2 || bytes[5] != 1) {
                throw new IOException("not a 64-bit little-endian ELF file");
            }
            long phoff = b.getLong(0x20);
            long shoff = b.getLong(0x28);
            int phentsize = Short.toUnsignedInt(b.getShort(0x36));
            int phnum = Short.toUnsignedInt(b.getShort(0x38));
            int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
            int shnum = Short.toUnsignedInt(b.getShort(0x3C));
            for (int i = 0; i < phnum; i++) {
                int p = (int) (phoff + (long) i * phentsize);
                if (b.getInt(p) == 1) {
                    loads.add(new long[] {b.getLong(p + 16), b.getLong(p + 8), b.getLong(p + 32)});
                }
            }
            List<long[]> dynsym = new ArrayList<>();
            List<long[]> relas = new ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                int s = (int) (shoff + (long) i * shentsize);
                int type = b.getInt(s + 4);
                long off = b.getLong(s + 24);
                long size = b.getLong(s + 32);
                int link = b.getInt(s + 40);
                if (type == 11) {
                    int strSec = (int) (shoff + (long) link * shentsize);
                    dynsym.add(new long[] {off, size, b.getLong(strSec + 24)});
                } else if (type == 4) {
                    relas.add(new long[] {off, size, link});
                }
            }
            List<Long> symValues = new ArrayList<>();
            for (long[] d : dynsym) {
                for (long e = d[0]; e + 24 <= d[0] + d[1]; e += 24) {
                    int nameOff = b.getInt((int) e);
                    int shndx = Short.toUnsignedInt(b.getShort((int) e + 6));
                    long value = b.getLong((int) e + 8);
                    symValues.add(shndx == 0 ? 0L : value);
                    if (shndx != 0 && value != 0) {
                        symbols.put(cstring((int) (d[2] + Integer.toUnsignedLong(nameOff))), value);
                    }
                }
            }
            for (long[] r : relas) {
                for (long e = r[0]; e + 24 <= r[0] + r[1]; e += 24) {
                    long offset = b.getLong((int) e);
                    long info = b.getLong((int) e + 8);
                    long addend = b.getLong((int) e + 16);
                    int type = (int) info;
                    int sym = (int) (info >>> 32);
                    if (type == R_X86_64_RELATIVE || type == R_AARCH64_RELATIVE) {
                        relocated.put(offset, addend);
                    } else if ((type == R_X86_64_64 || type == R_AARCH64_ABS64) && sym < symValues.size()) {
                        long base = symValues.get(sym);
                        relocated.put(offset, base == 0 ? 0 : base + addend);
                    }
                }
            }
        }

        Long symbol(String name) {
            return symbols.get(name);
        }

        private int offset(long vaddr) {
            for (long[] l : loads) {
                if (vaddr >= l[0] && vaddr < l[0] + l[2]) {
                    return (int) (vaddr - l[0] + l[1]);
                }
            }
            return -1;
        }

        long pointer(long vaddr) {
            Long r = relocated.get(vaddr);
            if (r != null) {
                return r;
            }
            int off = offset(vaddr);
            return off < 0 || off + 8 > b.capacity() ? 0 : b.getLong(off);
        }

        int int32(long vaddr) {
            int off = offset(vaddr);
            return off < 0 ? 0 : b.getInt(off);
        }

        double float64(long vaddr) {
            int off = offset(vaddr);
            return off < 0 ? 0 : b.getDouble(off);
        }

        String string(long vaddr) {
            if (vaddr == 0) {
                return null;
            }
            int off = offset(vaddr);
            return off < 0 ? null : cstring(off);
        }

        private String cstring(int off) {
            int end = off;
            while (end < b.capacity() && b.get(end) != 0) {
                end++;
            }
            byte[] s = new byte[end - off];
            b.get(off, s);
            return new String(s, StandardCharsets.UTF_8);
        }
    }
}
