package dev.gdkit.bench.vsglusterd;

import dev.gdkit.bench.vsglusterd.Result.Metric;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/** The run's table (both systems and their ratio), CSV and chart. */
final class Report {
    private Report() {
    }

    static Optional<Double> value(List<Result> results, String system, int nodes, Metric m) {
        return results.stream().filter(r -> r.system().equals(system) && r.nodes() == nodes && r.metric() == m)
                .map(Result::value).findFirst();
    }

    /** A text table: one row per pool size and metric, glusterd, gdd and how many times better gdd is. */
    static String table(List<Result> results, List<String> systems) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-6s %-55s %12s %12s %9s%n", "nodes", "metric", "glusterd", "gdd", "gdd/x"));
        for (int n : new TreeSet<>(results.stream().map(Result::nodes).toList())) {
            for (Metric m : Metric.values()) {
                Optional<Double> g = value(results, "glusterd", n, m);
                Optional<Double> d = value(results, "gdd", n, m);
                if (g.isEmpty() && d.isEmpty()) {
                    continue;
                }
                String ratio = "";
                if (g.isPresent() && d.isPresent() && g.get() > 0 && d.get() > 0 && m != Metric.CONCURRENT_FAILED
                        && m != Metric.VOLFILES_LATE) {
                    double x = m.lowerIsBetter ? g.get() / d.get() : d.get() / g.get();
                    ratio = String.format(Locale.ROOT, "%.1fx", x);
                }
                b.append(String.format(Locale.ROOT, "%-6d %-55s %12s %12s %9s%n", n, m.label + " (" + m.unit + ")",
                        g.map(Report::fmt).orElse("-"), d.map(Report::fmt).orElse("-"), ratio));
            }
        }
        b.append("gdd/x: how many times faster (or, for ops/s, higher) gdd is than glusterd; RSS: how many times smaller\n");
        return b.toString();
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static void writeCsv(List<Result> results, Path file) throws IOException {
        StringBuilder b = new StringBuilder("system,nodes,metric,unit,value\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%.6f%n", r.system(), r.nodes(), r.metric().name().toLowerCase(Locale.ROOT),
                    r.metric().unit, r.value()));
        }
        Files.writeString(file, b.toString());
    }

    /** Volume set latency (p50 solid, p99 dashed) against node count, log scale, both systems. */
    static void chart(List<Result> results, Path file) throws IOException {
        int w = 900;
        int h = 560;
        int left = 90;
        int right = 190;
        int top = 60;
        int bottom = 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        List<Integer> sizes = List.copyOf(new TreeSet<>(results.stream().map(Result::nodes).toList()));
        double lo = results.stream().filter(r -> r.metric() == Metric.SET_P50_MS || r.metric() == Metric.SET_P99_MS)
                .mapToDouble(Result::value).filter(v -> v > 0).min().orElse(1);
        double hi = results.stream().filter(r -> r.metric() == Metric.SET_P50_MS || r.metric() == Metric.SET_P99_MS)
                .mapToDouble(Result::value).max().orElse(10);
        double logLo = Math.floor(Math.log10(lo));
        double logHi = Math.ceil(Math.log10(hi));
        if (logHi <= logLo) {
            logHi = logLo + 1;
        }
        int pw = w - left - right;
        int ph = h - top - bottom;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("volume set latency against pool size (p50 solid, p99 dashed; log scale)", left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double e = logLo; e <= logHi; e++) {
            int y = top + ph - (int) Math.round((e - logLo) / (logHi - logLo) * ph);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.BLACK);
            double tick = Math.pow(10, e);
            g.drawString((tick >= 1 ? String.format(Locale.ROOT, "%,.0f", tick) : String.format(Locale.ROOT, "%.2f", tick)) + " ms", 10, y + 4);
        }
        for (int i = 0; i < sizes.size(); i++) {
            int x = xOf(i, sizes.size(), left, pw);
            g.drawString(sizes.get(i) + " nodes", x - 20, top + ph + 22);
        }
        g.drawRect(left, top, pw, ph);
        Color[] colors = {new Color(200, 60, 40), new Color(40, 100, 200)};
        String[] systems = {"glusterd", "gdd"};
        for (int s = 0; s < systems.length; s++) {
            for (Metric m : List.of(Metric.SET_P50_MS, Metric.SET_P99_MS)) {
                g.setColor(colors[s]);
                g.setStroke(m == Metric.SET_P50_MS ? new BasicStroke(2.5f)
                        : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
                int px = -1;
                int py = -1;
                for (int i = 0; i < sizes.size(); i++) {
                    Optional<Double> v = value(results, systems[s], sizes.get(i), m);
                    if (v.isEmpty() || v.get() <= 0) {
                        continue;
                    }
                    int x = xOf(i, sizes.size(), left, pw);
                    int y = top + ph - (int) Math.round((Math.log10(v.get()) - logLo) / (logHi - logLo) * ph);
                    g.fillOval(x - 4, y - 4, 8, 8);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    if (m == Metric.SET_P50_MS) {
                        g.drawString(String.format(Locale.ROOT, "%.1f ms", v.get()), x + 6, y - 6);
                    }
                    px = x;
                    py = y;
                }
            }
            g.setStroke(new BasicStroke(2.5f));
            g.drawLine(left + pw + 20, top + 20 + 24 * s, left + pw + 50, top + 20 + 24 * s);
            g.drawString(systems[s], left + pw + 58, top + 24 + 24 * s);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static int xOf(int i, int count, int left, int width) {
        return count == 1 ? left + width / 2 : left + 30 + (int) Math.round(i * (width - 60.0) / (count - 1));
    }
}
