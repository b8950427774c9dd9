package io.meshwork.etcd;

import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unary calls of etcd's gRPC API a registry or a config source makes, each with a deadline of one
 * attempt and never retried here: the caller decides what to retry, and says so in its own words.
 */
final class EtcdRpc {

  private static final Logger log = LoggerFactory.getLogger(EtcdRpc.class);

  private final Channel channel;
  private final long timeoutNanos;
  private final long waitNanos;

  EtcdRpc(Channel channel, Duration attemptTimeout) {
    this.channel = channel;
    this.timeoutNanos = attemptTimeout.toNanos();
    this.waitNanos = timeoutNanos + TimeUnit.MILLISECONDS.toNanos(100); // the deadline's answer arrives a bit later
  }

  CompletableFuture<RangeResponse> range(RangeRequest request) {
    return unary(KVGrpc.getRangeMethod(), request);
  }

  CompletableFuture<PutResponse> put(PutRequest request) {
    return unary(KVGrpc.getPutMethod(), request);
  }

  CompletableFuture<DeleteRangeResponse> delete(DeleteRangeRequest request) {
    return unary(KVGrpc.getDeleteRangeMethod(), request);
  }

  CompletableFuture<TxnResponse> txn(TxnRequest request) {
    return unary(KVGrpc.getTxnMethod(), request);
  }

  CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds) {
    return unary(LeaseGrpc.getLeaseGrantMethod(), LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build());
  }

  CompletableFuture<LeaseRevokeResponse> revoke(long leaseId) {
    return unary(LeaseGrpc.getLeaseRevokeMethod(), LeaseRevokeRequest.newBuilder().setID(leaseId).build());
  }

  CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaseId) {
    return unary(LeaseGrpc.getLeaseTimeToLiveMethod(), LeaseTimeToLiveRequest.newBuilder().setID(leaseId).build());
  }

  /**
   * Waits for {@code call} on the calling thread, never longer than one attempt's deadline, and
   * returns its result, or throws {@link EtcdCallException} saying why there is none.
   */
  <T> T await(String what, CompletableFuture<T> call) {
    return await(what, call, waitNanos);
  }

  /** {@link #await(String, CompletableFuture)}, giving up (and cancelling) after {@code waitNanos}. */
  private <T> T await(String what, CompletableFuture<T> call, long waitNanos) {
    try {
      return call.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, what + ": interrupted", e);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw EtcdCallException.classify(what, e);
    } catch (ExecutionException e) {
      throw EtcdCallException.classify(what, e.getCause());
    }
  }

  /**
   * The answer to the first request of a registry or config source, on the calling thread: asked
   * again while etcd does not answer, spaced by {@code backoff}, for up to the connect timeout plus
   * the request timeout of {@code settings} all told (the last attempt is cut short to keep that
   * bound), or only the connect timeout while every member refuses connections (an answer that
   * waiting longer will hardly change). Throws {@link EtcdCallException} when etcd never answered,
   * or refused.
   */
  <T> T awaitFirst(String what, Supplier<CompletableFuture<T>> call, EtcdClientSettings settings,
      Backoff backoff) {
    long begin = System.nanoTime();
    long bound = settings.connectTimeout().plus(settings.requestTimeout()).toNanos();
    while (true) {
      try {
        long left = Math.max(0, begin + bound - System.nanoTime());
        return await(what, call.get(), Math.min(left, waitNanos));
      } catch (EtcdCallException e) {
        long delay = backoff.nextMillis();
        long elapsed = System.nanoTime() - begin + TimeUnit.MILLISECONDS.toNanos(delay);
        long limit = e.isConnectionRefused() ? settings.connectTimeout().toNanos() : bound;
        if (!e.isUnreachable() || elapsed > limit) {
          throw e;
        }
        log.debug("{}; again in {} ms", e.getMessage(), delay);
        pause(delay);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // the delay before asking again, on the thread that starts the client
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, "interrupted", e);
    }
  }

  private <Q, S> CompletableFuture<S> unary(MethodDescriptor<Q, S> method, Q request) {
    ClientCall<Q, S> call = channel.newCall(method,
        CallOptions.DEFAULT.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS));
    CompletableFuture<S> result = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(call, request, new StreamObserver<>() {
      @Override
      public void onNext(S value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable error) {
        result.completeExceptionally(error);
      }

      @Override
      public void onCompleted() {
        // The value came with onNext.
      }
    });
    result.whenComplete((value, error) -> {
      if (error instanceof CancellationException) {
        call.cancel("the registry stopped waiting", null);
      }
    });
    return result;
  }
}
