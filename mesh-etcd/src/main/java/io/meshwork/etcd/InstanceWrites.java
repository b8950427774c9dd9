package io.meshwork.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.meshwork.registry.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The writes of instance keys, each one request (O(1) per instance whatever the fleet): a put, in a
 * namespace other than {@code default} a transaction that also puts the service's
 * {@link NamespaceIndex} marker there when it is missing; deletes of several keys in one transaction.
 * Blocking, one attempt each; the caller runs them on its writer lane and decides what to retry.
 */
final class InstanceWrites {

  private final EtcdRpc rpc;
  private final String prefix;

  InstanceWrites(EtcdRpc rpc, String prefix) {
    this.rpc = rpc;
    this.prefix = prefix;
  }

  /** What a delete removed: the keys that existed, and the revision etcd answered at. */
  record Deleted(List<InstanceKey> keys, long revision) {}

  /** Puts {@code value} at {@code key} under lease {@code leaseId}; returns the revision of the change. */
  long put(InstanceKey key, byte[] value, long leaseId) {
    PutRequest instance = PutRequest.newBuilder().setKey(bytes(key)).setValue(ByteString.copyFrom(value))
        .setLease(leaseId).build();
    String what = "put " + key.format(prefix);
    if (ServiceInstance.DEFAULT_NAMESPACE.equals(key.namespace())) {
      return rpc.await(what, rpc.put(instance)).getHeader().getRevision();
    }
    ByteString marker = ByteString.copyFromUtf8(NamespaceIndex.markerKey(prefix, key.service(), key.namespace()));
    TxnRequest txn = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(marker).setTarget(Compare.CompareTarget.CREATE)
            .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
        // The marker has no lease: it outlives any one process; only the first registration writes it.
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(marker)))
        .addSuccess(RequestOp.newBuilder().setRequestPut(instance))
        .addFailure(RequestOp.newBuilder().setRequestPut(instance)).build();
    return rpc.await(what, rpc.txn(txn)).getHeader().getRevision();
  }

  /** Deletes every key of {@code keys} in one transaction. */
  Deleted delete(Collection<InstanceKey> keys) {
    List<InstanceKey> order = List.copyOf(keys);
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    order.forEach(key -> txn.addSuccess(RequestOp.newBuilder()
        .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key)))));
    String what = "delete " + order.stream().map(key -> key.format(prefix)).collect(Collectors.joining(", "));
    TxnResponse response = rpc.await(what, rpc.txn(txn.build()));
    List<InstanceKey> deleted = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      if (response.getResponses(i).getResponseDeleteRange().getDeleted() > 0) {
        deleted.add(order.get(i));
      }
    }
    return new Deleted(deleted, response.getHeader().getRevision());
  }

  /** Deletes {@code key} only if it still holds {@code value}: never another writer's newer entry. */
  void deleteIfStill(InstanceKey key, byte[] value) {
    ByteString name = bytes(key);
    rpc.await("delete " + key.format(prefix), rpc.txn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(name).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.copyFrom(value)))
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(name)))
        .build()));
  }

  private ByteString bytes(InstanceKey key) {
    return ByteString.copyFrom(key.format(prefix), StandardCharsets.UTF_8);
  }
}
