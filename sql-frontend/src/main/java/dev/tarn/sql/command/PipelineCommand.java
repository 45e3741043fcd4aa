package dev.tarn.sql.command;

/** The pipeline commands of pipelines.md: {@code RUN PIPELINE}, {@code SHOW RUNS}, {@code SHOW RUN}. */
public sealed interface PipelineCommand extends TarnCommand permits RunPipeline, ShowRuns, ShowRun {}
