package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.controlplane.server.store.EtcdStateStore;
import io.meshwork.controlplane.server.store.MemoryStateStore;
import io.meshwork.controlplane.server.store.StateStore;
import io.meshwork.controlplane.server.store.StateStore.Change;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener that comes after the store was opened still learns everything: first what the store
 * holds, then every change. A controller opens its store, makes or reads the CA (seconds), and only
 * then listens; the other controller's admin token written meanwhile was lost before, and its token
 * was refused on this one.
 */
class StateStoreListenTest {

  @TempDir
  Path directory;

  @Test
  void aLateEtcdListenerHearsWhatChangedBeforeItListened() throws Exception {
    try (SingleEtcd etcd = SingleEtcd.start(Files.createDirectories(directory.resolve("etcd")));
         EtcdStateStore store = new EtcdStateStore(List.of(URI.create(etcd.endpoint())), "/test/")) {
      BlockingQueue<Change> early = new LinkedBlockingQueue<>();
      store.listen(early::add);
      etcd.etcdctl("put", "/test/admin-tokens/abc", "{}");
      assertThat(early.poll(20, TimeUnit.SECONDS)).as("the early listener's change")
          .isEqualTo(new Change("admin-tokens/abc", "{}"));

      BlockingQueue<Change> late = new LinkedBlockingQueue<>();
      store.listen(late::add);
      assertThat(List.copyOf(late)).as("what a listener added after the change hears at once").containsExactly(
          new Change("admin-tokens/abc", "{}"));
      late.clear();
      assertThat(store.load()).containsEntry("admin-tokens/abc", "{}");

      etcd.etcdctl("del", "/test/admin-tokens/abc");
      assertThat(early.poll(20, TimeUnit.SECONDS)).isEqualTo(new Change("admin-tokens/abc", null));
      // Listeners are told one after the other on the watch's thread: the late one may hear it a little later.
      assertThat(late.poll(20, TimeUnit.SECONDS)).isEqualTo(new Change("admin-tokens/abc", null));
      assertThat(store.load()).doesNotContainKey("admin-tokens/abc");
    }
  }

  @Test
  void aLateMemoryListenerHearsWhatTheStoreHolds() {
    try (StateStore store = new MemoryStateStore(directory.resolve("state.json"))) {
      store.put("config", "{\"a\":1}").join();
      List<Change> late = new CopyOnWriteArrayList<>();
      store.listen(late::add);
      store.delete("config").join();
      assertThat(late).containsExactly(new Change("config", "{\"a\":1}"), new Change("config", null));
    }
  }
}
