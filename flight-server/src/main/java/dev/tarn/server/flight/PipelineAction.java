package dev.tarn.server.flight;

import dev.tarn.core.TarnException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.executor.pipeline.RunListener;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.python.ModelOutput;
import dev.tarn.executor.pipeline.StepRecord;
import dev.tarn.core.pipeline.Pipelines;
import dev.tarn.core.pipeline.RunOptions;
import dev.tarn.core.session.Session;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.FlightProducer.StreamListener;
import org.apache.arrow.flight.Result;

/**
 * The Flight action {@value #TYPE}: runs a project the client sends (what {@code tarn run DIR}
 * uses), streaming one JSON result per step change so the client can show progress, then the run.
 *
 * <p>Request body (JSON): {@code {"project": "name", "branch": "dev" | null, "dry_run": false,
 * "parameters": {...}, "files": {"models.py": "<base64>", ...}}}. Results (JSON): {@code
 * {"event": "step", "step": ..., "kind": ..., "status": ..., "rows": ..., "duration_ms": ...,
 * "materialized_as": ..., "detail": ...}} per change (status {@code running} when a step starts, then
 * its outcome), {@code {"event": "log", "run_id": ..., "step": ..., "stream": "stdout" | "stderr",
 * "line": ...}} for each line a Python step prints, while it runs (long lines are cut and a flood is
 * followed only so far, each with a note in the line), then {@code {"event": "run", "run_id": ...,
 * "status": ..., "commit_hash": ..., "target_branch": ...}}. A failed run ends the stream with an
 * error whose message names the model, its traceback and the kept run branch.
 */
public final class PipelineAction {
  public static final String TYPE = "tarn.run_pipeline";
  public static final ActionType ACTION_TYPE = new ActionType(TYPE,
      "Run a pipeline project sent with the request; streams progress as JSON");

  /** Numbers with a fraction or exponent are read exactly (1.10 stays 1.10), not as doubles. */
  private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true)).build();

  private final Pipelines pipelines;

  PipelineAction(Pipelines pipelines) {
    this.pipelines = pipelines;
  }

  void run(byte[] body, Session session, StreamListener<Result> listener) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      throw new TarnException(TarnException.Kind.INVALID_ARGUMENT,
          TYPE + " takes a JSON request: " + e.getMessage());
    }
    String project = request.path("project").asText("project");
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = request.path("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file = it.next();
      try {
        if (!file.getValue().isTextual()) {
          throw new IllegalArgumentException("not a string");
        }
        files.put(file.getKey(), Base64.getDecoder().decode(file.getValue().textValue()));
      } catch (IllegalArgumentException e) {
        throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, TYPE + ": the file '" + file.getKey()
            + "' must be sent as base64 text (" + e.getMessage() + ")");
      }
    }
    JsonNode branchNode = request.path("branch");
    if (!branchNode.isMissingNode() && !branchNode.isNull() && !branchNode.isTextual()) {
      throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, TYPE + ": \"branch\" must be a branch name"
          + " (a JSON string) or null, not " + branchNode);
    }
    Map<String, Object> options = new LinkedHashMap<>();
    if (request.path("dry_run").asBoolean(false)) {
      options.put("dry_run", "true");
    }
    // JSON numbers and booleans keep their types; the run converts each to the parameter's declared type
    request.path("parameters").fields().forEachRemaining(p -> options.put("param." + p.getKey(), parameterValue(p.getValue())));
    String branch = Pipelines.targetBranch(Optional.ofNullable(branchNode.textValue()),
        session.reference().name(), session.reference().commit());

    Progress progress = new Progress(listener);
    RunRecord record = CallCancellation.INSTANCE.interruptOnCancel(() -> pipelines.runSent(project, files, branch,
        RunOptions.parse(options), session.user(), progress));
    progress.updated(record);
    ObjectNode done = JSON.createObjectNode();
    done.put("event", "run");
    done.put("run_id", record.id());
    done.put("status", record.status().name().toLowerCase(java.util.Locale.ROOT));
    done.put("target_branch", record.targetBranch());
    done.put("commit_hash", record.mergeCommit());
    done.put("dry_run", record.dryRun());
    progress.send(done);
  }

  /** A JSON parameter value as the run converts it: numbers exact (1.10 stays 1.10), text, booleans. */
  private static Object parameterValue(JsonNode value) {
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue();
    }
    if (value.isNumber()) {
      return value.decimalValue();
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return value; // null, arrays and objects: the run refuses them, naming the parameter
  }

  /**
   * Sends each step once per change of its status, and each line a Python step prints as it
   * prints it (bounded by the runner); the runner calls it from several threads.
   */
  private static final class Progress implements RunListener {
    private final StreamListener<Result> listener;
    private final Map<String, StepRecord.Status> seen = new HashMap<>();

    Progress(StreamListener<Result> listener) {
      this.listener = listener;
    }

    @Override
    public synchronized void output(String runId, String stepId, ModelOutput.Stream stream, String line) {
      ObjectNode event = JSON.createObjectNode();
      event.put("event", "log");
      event.put("run_id", runId);
      event.put("step", stepId);
      event.put("stream", stream.label());
      event.put("line", line);
      send(event);
    }

    @Override
    public synchronized void updated(RunRecord record) {
      for (StepRecord step : record.steps()) {
        if (step.status() == StepRecord.Status.PENDING || seen.get(step.step()) == step.status()) {
          continue;
        }
        seen.put(step.step(), step.status());
        ObjectNode event = JSON.createObjectNode();
        event.put("event", "step");
        event.put("run_id", record.id());
        event.put("step", step.step());
        event.put("model", step.model());
        event.put("kind", step.kind());
        event.put("status", step.status().name().toLowerCase(java.util.Locale.ROOT));
        event.put("rows", step.rows());
        event.put("duration_ms", step.durationMs());
        event.put("materialized_as", step.materializedAs());
        event.put("detail", step.detail());
        send(event);
      }
    }

    synchronized void send(ObjectNode event) {
      try {
        listener.onNext(new Result(JSON.writeValueAsBytes(event)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
