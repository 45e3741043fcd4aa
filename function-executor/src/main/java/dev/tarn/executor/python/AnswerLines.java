package dev.tarn.executor.python;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The answer lines of a warm Python process that answers each request with one short line on its
 * stdout, read by a thread of its own: the caller waits on them, so an answer is taken the moment it
 * is written rather than at the next poll.
 *
 * <p>The channel is the server's, but code running in the process may write to it too. Lines are
 * cut to a few characters, at most a few are held, and anything written while no request is out
 * makes the channel {@link #quiet} no more: the caller then stops using the process.
 */
final class AnswerLines {
  /** Stands in the queue for the end of the channel; compared by identity, so no line read is it. */
  private static final String CHANNEL_ENDED = new String("channel ended");
  /** How much of an answer line is kept: answers are a few characters, a model may write anything. */
  private static final int MAX_ANSWER_CHARS = 64;
  /** Answer lines held at most: one is expected per request. */
  private static final int MAX_QUEUED_ANSWERS = 4;

  /** Lines beyond the bound are dropped (and make the channel {@link #quiet} no more). */
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>(MAX_QUEUED_ANSWERS);
  /** Set once the channel has ended (the process exited, or something in it closed the channel). */
  private volatile boolean ended;
  /** Whether a request is out and its answer line not yet complete. */
  private volatile boolean awaiting;
  /** Whether the channel carried anything but answers to requests. */
  private volatile boolean stray;

  private AnswerLines() {}

  /** Starts reading {@code process}'s stdout on a daemon thread named {@code threadName}. */
  static AnswerLines of(Process process, String threadName) {
    AnswerLines lines = new AnswerLines();
    Thread reader = new Thread(() -> lines.read(process.getInputStream()), threadName);
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private void read(InputStream replies) {
    StringBuilder line = new StringBuilder();
    try {
      for (int b = replies.read(); b >= 0; b = replies.read()) {
        if (!awaiting) {
          stray = true;
        }
        if (b == '\n') {
          if (!answers.offer(line.toString())) {
            stray = true;
          }
          line.setLength(0);
          awaiting = false; // the request's answer is complete: anything more is not the process's
        } else if (line.length() < MAX_ANSWER_CHARS) {
          line.append((char) b);
        }
      }
    } catch (IOException e) {
      // the channel broke: as if it ended
    } finally {
      ended = true;
      answers.offer(CHANNEL_ENDED); // when the queue is full, the flag alone tells the caller
    }
  }

  /** Call just before sending a request: its answer is the next line. */
  void expectAnswer() {
    answers.clear();
    awaiting = true;
  }

  /**
   * The answer to the request sent, waiting up to {@code nanos} for it; empty when none came in that
   * time or the channel has ended ({@link #ended}).
   */
  Optional<String> await(long nanos) throws InterruptedException {
    // the reader adds a channel's last answer before it marks the channel ended
    String answer = ended ? answers.poll() : answers.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    return answer == null || answer == CHANNEL_ENDED ? Optional.empty() : Optional.of(answer);
  }

  /** Whether the channel has ended: no answer will come any more. */
  boolean ended() {
    return ended;
  }

  /** Whether nothing but answers to requests came on the channel. */
  boolean quiet() {
    return !stray;
  }
}
