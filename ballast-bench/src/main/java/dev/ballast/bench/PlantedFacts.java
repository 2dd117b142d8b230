package dev.ballast.bench;

import dev.ballast.retrieval.DocumentFormat;
import dev.ballast.retrieval.SourceDocument;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated corpus with known answers, deterministic from its size: {@code towns} fictional towns
 * (invented names, so the model has never seen them), each with one short document per {@link
 * #RELATIONS relation} (its population, its founding, its mayor, …) planting one fact. Each fact
 * has a question written as a paraphrase: it names the town but words the relation differently
 * ("How many inhabitants does X have?" for "Roughly 4,200 people live in X today."), so the
 * answer's document is relevant and no other is.
 *
 * <p>This separates the modes on purpose. Keyword search finds the town's name in all of its
 * documents and has few other words to tell the right one; vector search recognises the relation in
 * every town's document about it and has only a made-up name to tell the town. Hybrid search should
 * need both, which is what the fusion is for.
 */
final class PlantedFacts {
  private PlantedFacts() {}

  /** One planted fact: its statement ({@code %1$s} = town, {@code %2$s} = filler) and question. */
  record Relation(String name, String statement, String question, List<String> fillers) {}

  static final List<Relation> RELATIONS =
      List.of(
          new Relation(
              "population",
              "Roughly %2$s people live in %1$s today, most of them near the old harbour.",
              "How many inhabitants does %s have?",
              List.of("4,200", "18,000", "950", "62,000", "7,300")),
          new Relation(
              "founding",
              "%1$s was founded in %2$s by fishermen who came from the southern coast.",
              "When was %s first settled?",
              List.of("1321", "1598", "1702", "1455", "1866")),
          new Relation(
              "industry",
              "Most residents of %1$s earn their wages in %2$s.",
              "What do people in %s do for a living?",
              List.of(
                  "the copper mines",
                  "shipbuilding yards",
                  "textile mills",
                  "salmon farms",
                  "glassworks")),
          new Relation(
              "climate",
              "Winters in %1$s are long and snowy, with frost from %2$s until April.",
              "How cold does it get in %s during the darker months?",
              List.of("October", "September", "November", "late August", "mid October")),
          new Relation(
              "festival",
              "Every summer %1$s holds a %2$s festival on the riverbank.",
              "What celebration takes place in %s each year?",
              List.of("lantern", "kite", "harvest", "music", "boat")),
          new Relation(
              "transport",
              "A %2$s connects %1$s to the mainland twice a day.",
              "How do visitors travel to %s?",
              List.of("ferry", "narrow-gauge railway", "bus line", "cable car", "seaplane")),
          new Relation(
              "mayor",
              "The current mayor of %1$s is %2$s, elected three years ago.",
              "Who leads the municipal government of %s?",
              List.of("Ilsa Brandt", "Tomas Verhoek", "Greta Lund", "Pavel Oren", "Mara Quist")),
          new Relation(
              "landmark",
              "The tallest building in %1$s is a %2$s clock tower next to the market square.",
              "What is the highest structure in %s?",
              List.of("red brick", "granite", "timber", "sandstone", "whitewashed")),
          new Relation(
              "food",
              "The local speciality of %1$s is %2$s served with rye bread.",
              "Which dish is %s known for?",
              List.of(
                  "smoked eel", "pickled herring", "mutton stew", "cabbage soup", "fried trout")),
          new Relation(
              "education",
              "%1$s has one university, famous for its department of %2$s.",
              "Where can students pursue higher education in %s?",
              List.of("marine biology", "geology", "music", "medicine", "forestry")),
          new Relation(
              "sport",
              "The football club of %1$s plays in the regional %2$s division.",
              "Which soccer team represents %s?",
              List.of("second", "third", "first", "fourth", "fifth")),
          new Relation(
              "water",
              "Drinking water in %1$s comes from a reservoir %2$s in the hills.",
              "What is the source of the tap supply in %s?",
              List.of("high", "hidden", "dug", "built", "kept")));

  private static final String[] ONSETS = {
    "Qu", "V", "Br", "Th", "K", "Sk", "Dr", "M", "Gl", "H", "Tr", "Fl", "Z", "W", "Ost", "Ell"
  };
  private static final String[] CORES = {
    "ell", "arn", "ov", "isk", "und", "ael", "or", "yth", "am"
  };
  private static final String[] ENDS = {
    "mere", "holt", "by", "stad", "wick", "dal", "ford", "heim", "port", "vik", "ness", "thorpe"
  };

  record Corpus(List<SourceDocument> documents, List<Question> questions) {}

  /** A question and the id of the one document that answers it. */
  record Question(String text, String documentId) {}

  /** {@code towns} towns × {@link #RELATIONS} documents and as many questions; same every run. */
  static Corpus of(int towns) {
    List<String> names = townNames(towns);
    SplittableRandom random = new SplittableRandom(2026);
    List<SourceDocument> docs = new ArrayList<>();
    List<Question> questions = new ArrayList<>();
    for (String town : names) {
      for (Relation r : RELATIONS) {
        String id = town.toLowerCase(java.util.Locale.ROOT) + "/" + r.name() + ".txt";
        String filler = r.fillers().get(random.nextInt(r.fillers().size()));
        docs.add(
            new SourceDocument(
                id, id, DocumentFormat.PLAIN, String.format(r.statement(), town, filler)));
        questions.add(new Question(String.format(r.question(), town), id));
      }
    }
    return new Corpus(docs, questions);
  }

  private static List<String> townNames(int count) {
    SplittableRandom random = new SplittableRandom(7);
    LinkedHashSet<String> names = new LinkedHashSet<>();
    while (names.size() < count) {
      names.add(
          ONSETS[random.nextInt(ONSETS.length)]
              + CORES[random.nextInt(CORES.length)]
              + ENDS[random.nextInt(ENDS.length)]);
    }
    return List.copyOf(names);
  }
}
