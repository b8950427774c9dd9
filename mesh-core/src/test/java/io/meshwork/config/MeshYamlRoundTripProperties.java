package io.meshwork.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Every field of {@link MeshConfig} written as YAML reads back equal: configs drawn over every field
 * and its range (strings YAML must quote included), and afterwards a check that the configs drawn did
 * set every field and kind the description has, so a field added to the file cannot go untested.
 */
class MeshYamlRoundTripProperties {

  private static final Set<String> COVERED = ConcurrentHashMap.newKeySet();

  @Property(tries = 1000)
  void everyConfigWrittenAsYamlReadsBackEqual(@ForAll("configs") MeshConfig config) {
    String yaml = config.toYaml();
    MeshConfig read = MeshConfig.parseYaml(yaml, "written.yaml");
    assertThat(read).as("read back from:\n%s", yaml).isEqualTo(config);
    assertThat(read.toYaml()).isEqualTo(yaml);
    COVERED.addAll(DescriptionWalk.coveredBy(yaml));
  }

  @AfterContainer
  static void theConfigsDrawnSetEveryFieldOfTheFile() {
    Set<String> missing = new TreeSet<>(DescriptionWalk.everything());
    missing.removeAll(COVERED);
    // Forms the reader takes and the writer never makes: Istio's place for a weight (the writer puts
    // it in the destination), and exact matches spelled out (the writer uses the value alone).
    missing.removeAll(Set.of("RouteEntry.weight", "HeaderMatch.exact", "QueryMatch.exact"));
    assertThat(missing).as("fields of mesh.yaml no drawn config set").isEmpty();
  }

  @Provide
  Arbitrary<MeshConfig> configs() {
    return Arbitraries.randomValue(random -> new RandomConfigs(random).meshConfig());
  }
}
