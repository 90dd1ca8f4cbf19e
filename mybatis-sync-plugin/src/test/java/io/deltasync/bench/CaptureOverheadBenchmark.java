package io.deltasync.bench;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NoteMapper;
import io.deltasync.testing.NotesSchema;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * What capture costs: the same MyBatis workload with and without the DeltaSync plugin, on the same
 * database, runs alternating, medians compared. Prints one line per workload and database.
 *
 * <p>Run with {@code ./run-benchmark.sh}. Arguments: rounds (default 7).
 */
public final class CaptureOverheadBenchmark {

  private record Workload(String name, ExecutorType type, int transactions, int insertsPerTx) {}

  private static final List<Workload> WORKLOADS =
      List.of(
          new Workload("SIMPLE, 1 insert + 1 update per tx", ExecutorType.SIMPLE, 400, 1),
          new Workload("SIMPLE, 10 inserts + 1 update per tx", ExecutorType.SIMPLE, 100, 10),
          new Workload("BATCH, 100 inserts + 1 update per tx", ExecutorType.BATCH, 20, 100));

  private CaptureOverheadBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    List<Function<String, TestDatabase>> databases =
        List.of(TestDatabases::h2, TestDatabases::postgres);
    System.out.printf(
        "%-12s %-40s %12s %12s %8s%n", "database", "workload", "plain ms", "captured ms", "ratio");
    for (Function<String, TestDatabase> database : databases) {
      TestDatabase db = NotesSchema.install(database.apply("bench"));
      SqlSessionFactory plain = factory(db, null);
      SqlSessionFactory captured =
          factory(db, new DeltaSyncInterceptor(CaptureSettings.recordAll("bench"), List.of()));
      for (Workload workload : WORKLOADS) {
        run(db, plain, workload, 0); // warm up both paths
        run(db, captured, workload, 0);
        long[] plainTimes = new long[rounds];
        long[] capturedTimes = new long[rounds];
        for (int round = 0; round < rounds; round++) {
          plainTimes[round] = run(db, plain, workload, round + 1);
          capturedTimes[round] = run(db, captured, workload, round + 1);
        }
        double plainMs = median(plainTimes) / 1e6;
        double capturedMs = median(capturedTimes) / 1e6;
        System.out.printf(
            "%-12s %-40s %12.1f %12.1f %8.2f%n",
            db.kind(), workload.name(), plainMs, capturedMs, capturedMs / plainMs);
      }
      db.close();
    }
    System.exit(0);
  }

  private static SqlSessionFactory factory(TestDatabase db, DeltaSyncInterceptor interceptor) {
    Configuration configuration =
        new Configuration(new Environment("bench", new JdbcTransactionFactory(), db.dataSource()));
    configuration.addMapper(NoteMapper.class);
    if (interceptor != null) {
      configuration.addInterceptor(interceptor);
    }
    return new SqlSessionFactoryBuilder().build(configuration);
  }

  /** Runs the workload once, then deletes its rows (not timed); returns nanoseconds. */
  private static long run(
      TestDatabase db, SqlSessionFactory sessions, Workload workload, int round) {
    long firstId = 1_000_000L * (round + 1);
    long id = firstId;
    long start = System.nanoTime();
    for (int tx = 0; tx < workload.transactions(); tx++) {
      try (SqlSession session = sessions.openSession(workload.type())) {
        NoteMapper notes = session.getMapper(NoteMapper.class);
        Note note = null;
        for (int i = 0; i < workload.insertsPerTx(); i++) {
          note = new Note(id++, "note " + id);
          note.body = "body of note " + id;
          note.amount = new BigDecimal("12.50");
          note.createdAt = LocalDateTime.of(2026, 11, 22, 12, 0);
          notes.insert(note);
        }
        note.title = "edited";
        notes.update(note);
        session.commit();
      }
    }
    long elapsed = System.nanoTime() - start;
    db.execute("DELETE FROM note", "DELETE FROM ds_delta");
    return elapsed;
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
