package dev.ballast.retrieval.internal;

import dev.ballast.core.state.ChunkRecord;
import dev.ballast.retrieval.SearchHit;
import dev.ballast.retrieval.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * How a chunk is laid out in the Lucene index: its id as a term (updates replace by id), its text
 * for BM25, its normalised vector for HNSW with dot-product similarity (= cosine on unit vectors),
 * its generations as points for the liveness filter, and the fields a hit returns as stored fields.
 * A chunk not yet retired is indexed with {@code to = Long.MAX_VALUE}.
 */
public final class ChunkDocuments {
  public static final String ID = "id";
  public static final String TEXT = "text";
  public static final String VECTOR = "vector";
  public static final String FROM = "from";
  public static final String TO = "to";
  private static final String DOCUMENT = "document";
  private static final String HASH = "hash";
  private static final String TITLE = "title";
  private static final String HEADINGS = "headings";
  // Headings are stored joined by the ASCII unit separator, which no heading contains.
  private static final String HEADING_SEPARATOR = "\u001f";
  private static final int MAX_QUERY_TERMS = 256;
  private static final CharArraySet STOP_WORDS =
      CharArraySet.unmodifiableSet(
          new CharArraySet(
              Arrays.asList(
                  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
                  "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then",
                  "there", "these", "they", "this", "to", "was", "will", "with", "what", "how",
                  "does", "do", "which", "who", "i", "you"),
              true));

  private ChunkDocuments() {}

  /** Standard tokenisation and lower-casing, with a small English stop-word list. */
  public static Analyzer analyzer() {
    return new StandardAnalyzer(STOP_WORDS);
  }

  public static Document toDocument(ChunkRecord chunk) {
    Document doc = new Document();
    doc.add(new StringField(ID, chunk.id(), Field.Store.YES));
    doc.add(new StoredField(DOCUMENT, chunk.documentId()));
    doc.add(new StoredField(HASH, chunk.contentHash()));
    doc.add(new StoredField(TITLE, chunk.title() == null ? "" : chunk.title()));
    doc.add(new StoredField(HEADINGS, String.join(HEADING_SEPARATOR, chunk.headings())));
    doc.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
    doc.add(new LongPoint(FROM, chunk.fromGeneration()));
    doc.add(new LongPoint(TO, to(chunk)));
    doc.add(
        new KnnFloatVectorField(
            VECTOR, Vectors.normalised(chunk.vector()), VectorSimilarityFunction.DOT_PRODUCT));
    return doc;
  }

  public static Term idTerm(String chunkId) {
    return new Term(ID, chunkId);
  }

  public static long to(ChunkRecord chunk) {
    return chunk.toGeneration() == null ? Long.MAX_VALUE : chunk.toGeneration();
  }

  /** Chunks live at {@code g}: {@code from <= g} and {@code to > g}. */
  public static Query liveAt(long g) {
    return new BooleanQuery.Builder()
        .add(LongPoint.newRangeQuery(FROM, 0, g), BooleanClause.Occur.FILTER)
        .add(LongPoint.newRangeQuery(TO, g + 1, Long.MAX_VALUE), BooleanClause.Occur.FILTER)
        .build();
  }

  /** A disjunction of the query's analysed terms, or null when it has none. */
  public static Query keywordQuery(Analyzer analyzer, String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream tokens = analyzer.tokenStream(TEXT, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
        terms.add(term.toString());
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (terms.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String t : terms) {
      query.add(new TermQuery(new Term(TEXT, t)), BooleanClause.Occur.SHOULD);
    }
    return query.build();
  }

  public static SearchHit hit(IndexSearcher searcher, int docId, double score) throws IOException {
    Document doc = searcher.storedFields().document(docId);
    String headings = doc.get(HEADINGS);
    List<String> path =
        headings.isEmpty()
            ? List.of()
            : new ArrayList<>(Arrays.asList(headings.split(HEADING_SEPARATOR, -1)));
    String title = doc.get(TITLE);
    return new SearchHit(
        doc.get(ID),
        doc.get(DOCUMENT),
        doc.get(HASH),
        score,
        doc.get(TEXT),
        title.isEmpty() ? null : title,
        path);
  }
}
