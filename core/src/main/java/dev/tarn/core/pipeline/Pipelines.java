package dev.tarn.core.pipeline;

import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.executor.pipeline.RunListener;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.pipeline.RunRecords;
import dev.tarn.executor.pipeline.RunRequest;
import dev.tarn.executor.pipeline.StepRecord;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.ModelOutput;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.lakehouse.CommandResult;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.session.CurrentReference;
import dev.tarn.sql.command.access.Privilege;
import dev.tarn.core.session.Session;
import dev.tarn.sql.command.PipelineCommand;
import dev.tarn.sql.command.RunPipeline;
import dev.tarn.sql.command.ShowRun;
import dev.tarn.sql.command.ShowRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Pipeline runs as the server offers them: {@code RUN PIPELINE} on a project folder under the
 * server's projects folder, a project sent by {@code tarn run}, and the recorded runs.
 *
 * <p>Clients name projects by path, so the server runs only projects inside its projects folder
 * ({@code --projects}, the folder it was started in by default): SQL must not make the server
 * execute code from anywhere else on its machine.
 */
public final class Pipelines implements AutoCloseable {
  /** The file names a sent project may hold: the top level of a project folder. */
  private static final Pattern PROJECT_FILE =
      Pattern.compile("[A-Za-z0-9_.-]+\\.(py|sql)|tarn_project\\.yml|bauplan_project\\.ya?ml");

  private final Supplier<PipelineRunner> runner;
  private final AutoCloseable resources;
  private final RunRecords records;
  private final Path projectsRoot;
  private final Path uploads;
  private volatile PipelineRunner started;
  private final AccessControl access;

  /**
   * @param runner makes the runner on first use (finding uv and Python then, so that a server
   *     without them still serves SQL and explains what is missing when a pipeline runs)
   * @param records where runs are recorded
   * @param projectsRoot the folder whose projects {@code RUN PIPELINE 'path'} may run
   * @param uploads where projects sent by clients are unpacked for their run
   * @param resources what the runs share and the server closes with them (the scan cache)
   */
  public Pipelines(Supplier<PipelineRunner> runner, RunRecords records, Path projectsRoot, Path uploads,
      AutoCloseable resources) {
    this(runner, records, projectsRoot, uploads, resources, AccessControl.open());
  }

  /** @param access who may run pipelines into which branch (RUN and WRITE on it), and see which runs */
  public Pipelines(Supplier<PipelineRunner> runner, RunRecords records, Path projectsRoot, Path uploads,
      AutoCloseable resources, AccessControl access) {
    this.access = access;
    this.runner = runner;
    this.resources = resources;
    this.records = records;
    this.projectsRoot = projectsRoot.toAbsolutePath().normalize();
    this.uploads = uploads.toAbsolutePath().normalize();
  }

  /**
   * Runs the project at {@code path} (relative to the projects folder, or absolute inside it) into
   * {@code branch}.
   *
   * @throws PipelineRunFailedException when the run fails; the record is kept either way
   */
  public RunRecord run(String path, String branch, RunOptions options, String user, RunListener listener) {
    access.requireRun(user, branch);
    Path dir = projectDirectory(path);
    return runRecorded(new RunRequest(dir, path, branch, options.dryRun(), options.parameters(), user), listener,
        record -> record, line -> line);
  }

  /**
   * Runs a project a client sent as files (top-level {@code *.py}, {@code *.sql} and its project
   * file, {@code tarn_project.yml} or {@code bauplan_project.yml}); the files are removed when the run ends.
   */
  public RunRecord runSent(String projectName, Map<String, byte[]> files, String branch, RunOptions options,
      String user, RunListener listener) {
    access.requireRun(user, branch);
    if (files.isEmpty()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "the project " + projectName
          + " holds no models: a project is a folder of *.py and *.sql files");
    }
    for (String name : files.keySet()) {
      if (!PROJECT_FILE.matcher(name).matches()) {
        throw new TarnException(Kind.INVALID_ARGUMENT, "a sent project holds only the top-level *.py, *.sql "
            + "and project file (tarn_project.yml or bauplan_project.yml) of its folder; '" + name + "' is not one");
      }
    }
    Path dir = uploads.resolve(UUID.randomUUID().toString());
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Files.write(dir.resolve(file.getKey()), file.getValue());
      }
      // Tracebacks should name the client's files, not where the server unpacked them.
      String unpacked = dir + java.io.File.separator;
      String shown = projectName + java.io.File.separator;
      return runRecorded(new RunRequest(dir, projectName, branch, options.dryRun(), options.parameters(), user),
          listener, record -> relabel(record, unpacked, shown), line -> line.replace(unpacked, shown));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the sent project " + projectName + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** The rows a pipeline statement returns. */
  public static org.apache.arrow.vector.types.pojo.Schema resultSchema(PipelineCommand command) {
    if (command instanceof RunPipeline) {
      return RunTables.RUN;
    }
    return command instanceof ShowRuns ? RunTables.RUNS : RunTables.STEPS;
  }

  /** Runs a pipeline statement for a session. */
  public CommandResult execute(PipelineCommand command, Session session) {
    if (command instanceof ShowRuns) {
      // the runs into branches the caller may read
      return RunTables.runs(runs().stream()
          .filter(r -> access.may(session.user(), Privilege.READ, r.targetBranch())).toList());
    }
    if (command instanceof ShowRun show) {
      RunRecord record = find(show.id());
      access.require(session.user(), Privilege.READ, record.targetBranch(), "branch");
      return RunTables.steps(record);
    }
    RunPipeline run = (RunPipeline) command;
    return RunTables.run(run(run.path(), targetBranch(run, session), RunOptions.parse(run.options()),
        session.user(), RunListener.NONE));
  }

  /**
   * Starts {@code RUN PIPELINE} for a session and returns its rows as the run produces them: a row
   * per model as soon as it ended ({@link RunRowStream}). What is wrong before the run starts (the
   * folder, the options, the branch, privileges) is thrown here; a failed run ends the stream with
   * its error.
   *
   * @param onWorker receives the thread the run works on, for whoever may stop it (KILL QUERY)
   */
  public RunRowStream startStreaming(RunPipeline run, Session session, BufferAllocator allocator,
      Consumer<Thread> onWorker) {
    String branch = targetBranch(run, session);
    RunOptions options = RunOptions.parse(run.options());
    String user = session.user();
    access.requireRun(user, branch);
    Path dir = projectDirectory(run.path());
    RunRequest request = new RunRequest(dir, run.path(), branch, options.dryRun(), options.parameters(), user);
    return RunRowStream.start(listener -> runRecorded(request, listener, record -> record, line -> line),
        allocator, onWorker);
  }

  /** The branch a session's RUN PIPELINE writes, outside any transaction. */
  private static String targetBranch(RunPipeline run, Session session) {
    if (session.transaction().isPresent()) {
      throw new TarnException(Kind.INVALID_ARGUMENT,
          "RUN PIPELINE is not allowed inside a transaction (a run commits on its own); COMMIT or ROLLBACK first");
    }
    CurrentReference current = session.reference();
    return targetBranch(run.branch(), current.name(), current.commit());
  }

  public List<RunRecord> runs() {
    return records.list();
  }

  public RunRecord find(String id) {
    return records.find(id).orElseThrow(() -> new TarnException(Kind.NOT_FOUND,
        "no pipeline run '" + id + "': SHOW RUNS lists the recorded runs"));
  }

  /**
   * Runs a request, recording every change as {@code shown} presents it, and throws when the run
   * failed.
   */
  private RunRecord runRecorded(RunRequest request, RunListener listener, UnaryOperator<RunRecord> shown,
      UnaryOperator<String> shownLine) {
    RunRecord result = shown.apply(runner().run(request, new RunListener() {
      @Override
      public void updated(RunRecord record) {
        RunRecord visible = shown.apply(record);
        records.save(visible);
        listener.updated(visible);
      }

      @Override
      public void output(String runId, String stepId, ModelOutput.Stream stream, String line) {
        listener.output(runId, stepId, stream, shownLine.apply(line));
      }
    }));
    records.save(result);
    if (result.status() == RunRecord.Status.FAILED || result.status() == RunRecord.Status.CANCELLED) {
      throw new PipelineRunFailedException(result);
    }
    dev.tarn.core.audit.ProducedCommit.noted(result.mergeCommit());
    return result;
  }

  /** Releases what the runs shared; call it after the last run, before the engine closes. */
  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the pipelines' resources failed: " + e.getMessage(), e);
    }
  }

  /** The record with {@code from} replaced by {@code to} in its error and in its steps' errors and logs. */
  private static RunRecord relabel(RunRecord r, String from, String to) {
    List<StepRecord> steps = r.steps().stream().map(s -> new StepRecord(s.step(), s.model(), s.kind(), s.status(),
        s.rows(), s.durationMs(), s.materializedAs(), s.environment(), s.detail(), replace(s.logs(), from, to),
        replace(s.error(), from, to))).toList();
    return new RunRecord(r.id(), r.project(), r.projectName(), r.targetBranch(), r.runBranch(), r.status(),
        r.dryRun(), r.user(), r.startedAt(), r.finishedAt(), r.targetHashBefore(), r.mergeCommit(),
        replace(r.error(), from, to), steps);
  }

  private static String replace(String text, String from, String to) {
    return text == null ? null : text.replace(from, to);
  }

  private PipelineRunner runner() {
    PipelineRunner r = started;
    if (r == null) {
      synchronized (this) {
        if (started == null) {
          started = runner.get();
        }
        r = started;
      }
    }
    return r;
  }

  /** Refuses, naming why, a project path this server would not run (outside its projects folder, missing). */
  public void requireProject(String path) {
    projectDirectory(path);
  }

  /**
   * A dry run of the project at {@code path} on {@code branch}, as {@code user}, to check a merge
   * request before it merges: every model and expectation runs, nothing is committed, and the run is
   * recorded. The caller has checked the user's privileges (approving needs MERGE and RUN on the
   * target, and READ on the branch; a dry run writes nothing there).
   *
   * @throws PipelineRunFailedException when a model or an expectation fails
   */
  public RunRecord checkRun(String path, String branch, String user) {
    Path dir = projectDirectory(path);
    return runRecorded(new RunRequest(dir, path, branch, true, Map.of(), user), RunListener.NONE,
        record -> record, line -> line);
  }

  /** The project folder a client named: inside the projects folder, existing, symbolic links resolved. */
  Path projectDirectory(String path) {
    if (path.isBlank()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "RUN PIPELINE needs the project folder, as in RUN PIPELINE 'pipelines/sales'");
    }
    Path given = Path.of(path);
    Path dir = (given.isAbsolute() ? given : projectsRoot.resolve(given)).normalize();
    Path real;
    Path root;
    try {
      root = projectsRoot.toRealPath();
      real = dir.toRealPath();
    } catch (NoSuchFileException e) {
      throw new TarnException(Kind.NOT_FOUND, "pipeline project folder '" + path + "' does not exist"
          + (given.isAbsolute() ? "" : " in the server's projects folder " + projectsRoot));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!real.startsWith(root)) {
      throw new TarnException(Kind.PERMISSION_DENIED, "RUN PIPELINE runs only projects inside the server's "
          + "projects folder " + projectsRoot + ", and '" + path + "' is outside it: start the server with "
          + "--projects DIR, or send the project from your machine with `tarn run DIR`");
    }
    if (!Files.isDirectory(real)) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "'" + path + "' is not a folder: RUN PIPELINE takes a "
          + "project folder of *.py and *.sql models");
    }
    return real;
  }

  /** The branch a run targets when the statement names none: the session's, which must be a branch head. */
  public static String targetBranch(Optional<String> named, String sessionReference, Optional<String> pinnedCommit) {
    if (named.isPresent()) {
      return named.get();
    }
    if (pinnedCommit.isPresent()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "this session reads " + sessionReference
          + " at a fixed commit; a pipeline run writes a branch: add ON BRANCH name, or USE BRANCH name first");
    }
    return sessionReference;
  }

  private static void deleteQuietly(Path dir) {
    try {
      Environments.deleteTree(dir);
    } catch (IOException | RuntimeException ignored) {
      // an unpacked project left behind is harmless; it is never read again
    }
  }
}
