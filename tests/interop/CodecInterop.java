// Checks kafkac's encodings against Kafka's own message classes
// (org.apache.kafka.common.message.*Data from kafka-clients).
//
//   java -cp <classes>:<kafka libs>/* CodecInterop DIR
//
// DIR holds the files of build/tools/dump_encodings (tests/interop/
// dump_encodings.c):
//   <ApiKey>-<Request|Response>-v<version>-<variant>.bin   an API message
//   Header-<Request|Response>-v<version>-<variant>.bin     a header
// Each one must be read by the Java class of that message and version
// consuming every byte, and Java must write it back to the identical bytes.
// Prints one line per mismatch (FAIL ...), a note per API whose version
// range differs from Java's, and last "java-interop: N passed, N failed".
// Exit status 1 when anything failed or DIR holds no encodings.
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

public class CodecInterop {
    static final Pattern NAME =
        Pattern.compile("(\\d+|Header)-(Request|Response)-v(\\d+)-(filled|nulls|defaults)\\.bin");

    static int passed, failed;

    static void fail(String file, String why) {
        failed++;
        System.out.println("FAIL " + file + ": " + why);
    }

    static String hex(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, from); i < Math.min(b.length, to); i++) sb.append(String.format("%02x", b[i]));
        return sb.toString();
    }

    static Message newMessage(String key, boolean response) {
        if (key.equals("Header")) return response ? new ResponseHeaderData() : new RequestHeaderData();
        ApiMessageType t = ApiMessageType.fromApiKey(Short.parseShort(key));
        return response ? t.newResponse() : t.newRequest();
    }

    static void check(Path path) throws IOException {
        String file = path.getFileName().toString();
        Matcher mt = NAME.matcher(file);
        if (!mt.matches()) {
            fail(file, "unexpected file name");
            return;
        }
        String key = mt.group(1);
        boolean response = mt.group(2).equals("Response");
        short version = Short.parseShort(mt.group(3));
        byte[] in = Files.readAllBytes(path);
        Message msg;
        try {
            msg = newMessage(key, response);
        } catch (RuntimeException e) {
            fail(file, "no Java message class: " + e);
            return;
        }
        String cls = msg.getClass().getSimpleName();
        ByteBuffer buf = ByteBuffer.wrap(in);
        try {
            msg.read(new ByteBufferAccessor(buf), version);
        } catch (RuntimeException e) {
            fail(file, cls + " v" + version + " read failed at byte " + buf.position() + " of " + in.length
                 + ": " + e);
            return;
        }
        if (buf.hasRemaining()) {
            fail(file, cls + " v" + version + " read " + buf.position() + " of " + in.length + " bytes, "
                 + buf.remaining() + " left: " + hex(in, buf.position(), buf.position() + 32));
            return;
        }
        if (!msg.unknownTaggedFields().isEmpty()) {
            fail(file, cls + " v" + version + ": " + msg.unknownTaggedFields().size()
                 + " tagged field(s) unknown to Java");
            return;
        }
        byte[] out;
        try {
            ObjectSerializationCache cache = new ObjectSerializationCache();
            int size = msg.size(cache, version);
            ByteBuffer ob = ByteBuffer.allocate(size);
            msg.write(new ByteBufferAccessor(ob), cache, version);
            if (ob.position() != size) {
                fail(file, cls + " v" + version + ": Java wrote " + ob.position() + " bytes, size said " + size);
                return;
            }
            out = ob.array();
        } catch (RuntimeException e) {
            fail(file, cls + " v" + version + " write failed: " + e);
            return;
        }
        int n = Math.min(in.length, out.length), d = 0;
        while (d < n && in[d] == out[d]) d++;
        if (d < n || in.length != out.length) {
            fail(file, cls + " v" + version + ": Java writes " + out.length + " bytes, kafkac " + in.length
                 + "; first difference at byte " + d + ": kafkac " + hex(in, d, d + 16) + " java "
                 + hex(out, d, d + 16));
            return;
        }
        passed++;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CodecInterop DIR");
            System.exit(2);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Paths.get(args[0]))) {
            for (Path p : ds) files.add(p);
        }
        Collections.sort(files);
        // api key -> {min, max} of the versions dumped, for the coverage notes
        Map<Short, short[]> ranges = new TreeMap<>();
        for (Path p : files) {
            check(p);
            Matcher mt = NAME.matcher(p.getFileName().toString());
            if (mt.matches() && !mt.group(1).equals("Header")) {
                short k = Short.parseShort(mt.group(1)), v = Short.parseShort(mt.group(3));
                short[] r = ranges.computeIfAbsent(k, x -> new short[] {v, v});
                r[0] = (short) Math.min(r[0], v);
                r[1] = (short) Math.max(r[1], v);
            }
        }
        for (Map.Entry<Short, short[]> e : ranges.entrySet()) {
            ApiMessageType t;
            try {
                t = ApiMessageType.fromApiKey(e.getKey());
            } catch (RuntimeException ex) {
                continue; // reported per file already
            }
            short lo = t.lowestSupportedVersion(), hi = t.highestSupportedVersion(true);
            short[] r = e.getValue();
            if (r[0] != lo || r[1] != hi)
                System.out.println("note: " + t.name + " (key " + e.getKey() + "): kafkac v" + r[0] + "-" + r[1]
                                   + ", Java v" + lo + "-" + hi);
        }
        if (files.isEmpty()) fail(args[0], "no encodings found");
        System.out.println("java-interop: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
