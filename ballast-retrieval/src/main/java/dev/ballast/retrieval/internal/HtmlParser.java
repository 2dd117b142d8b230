package dev.ballast.retrieval.internal;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * HTML through jsoup: the {@code <title>} (else the first {@code h1}) is the title, {@code h1}–
 * {@code h6} open sections, every block element ends a paragraph, {@code <pre>} keeps its line
 * breaks, and scripts, styles, templates and {@code noscript} are dropped.
 */
public final class HtmlParser {
  private HtmlParser() {}

  public static ParsedDocument parse(String html) {
    Document doc = Jsoup.parse(TextParsers.normalise(html));
    String title = doc.title().strip();
    doc.select("script, style, noscript, template, head").remove();
    SectionBuilder out = new SectionBuilder();
    Collector collector = new Collector(out);
    NodeTraversor.filter(collector, doc.body());
    collector.flush();
    return new ParsedDocument(title.isEmpty() ? out.firstH1() : title, out.sections());
  }

  private static final class Collector implements NodeFilter {
    private final SectionBuilder out;
    private final StringBuilder text = new StringBuilder();

    Collector(SectionBuilder out) {
      this.out = out;
    }

    @Override
    public FilterResult head(Node node, int depth) {
      if (node instanceof TextNode t) {
        text.append(t.text());
      } else if (node instanceof Element e) {
        String tag = e.normalName();
        if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
          flush();
          out.heading(tag.charAt(1) - '0', e.text().strip());
          return FilterResult.SKIP_ENTIRELY;
        }
        if (tag.equals("pre")) {
          flush();
          out.paragraph(e.wholeText());
          return FilterResult.SKIP_ENTIRELY;
        }
        if (tag.equals("br")) {
          text.append('\n');
        } else if (e.isBlock()) {
          flush();
        }
      }
      return FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tail(Node node, int depth) {
      if (node instanceof Element e && e.isBlock()) {
        flush();
      }
      return FilterResult.CONTINUE;
    }

    void flush() {
      String paragraph =
          text.toString().replaceAll("[ \\t\\u00A0]+", " ").replaceAll(" *\\n *", "\n").strip();
      text.setLength(0);
      out.paragraph(paragraph);
    }
  }
}
