package io.meshwork.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwork.MeshBuilder;
import io.meshwork.controlplane.server.ControlPlaneServer;
import io.meshwork.etcd.EtcdServiceRegistryBuilder;
import io.meshwork.netty.NettyTransport;
import io.meshwork.policy.ConcurrencyLimits;
import io.meshwork.policy.HealthCheckConfig;
import io.meshwork.policy.ServerLimits;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryBudgetConfig;
import io.meshwork.resilience.RetryPolicy;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * docs/configuration.md against the code: every component of every policy record has a row whose
 * default is the value the code uses and whose range is the one its validation enforces (each
 * bound is tried on both sides), and every setter of the builders has a row.
 */
class ConfigurationReferenceTest {

  /** Every policy record and the instance whose values the reference calls the defaults. */
  private static final Map<Class<?>, Object> POLICIES = Map.of(
      ServicePolicy.class, ServicePolicy.defaults(),
      RetryPolicy.class, RetryPolicy.defaults(),
      RetryBudgetConfig.class, RetryBudgetConfig.defaults(),
      CircuitBreakerConfig.class, CircuitBreakerConfig.defaults(),
      OutlierDetectionConfig.class, OutlierDetectionConfig.defaults(),
      HealthCheckConfig.class, HealthCheckConfig.of("/health"),
      ConcurrencyLimits.class, ConcurrencyLimits.defaults(),
      ServerLimits.class, ServerLimits.defaults());

  @Test
  void everyPolicyRecordIsCovered() throws Exception {
    assertEquals(new TreeSet<>(policyRecordsInCore()),
        POLICIES.keySet().stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new)),
        "the public records of io.meshwork.policy and io.meshwork.resilience are the policies the"
            + " reference must list: add the new one here and to " + ReferenceTable.FILE);
  }

  @TestFactory
  Stream<DynamicTest> everyFieldHasItsDefaultAndRange() {
    return POLICIES.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> a.getName().compareTo(b.getName())))
        .flatMap(policy -> fields(policy.getKey(), policy.getValue()));
  }

  private static Stream<DynamicTest> fields(Class<?> type, Object defaults) {
    ReferenceTable table = ReferenceTable.of(type.getSimpleName());
    List<String> components = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    DynamicTest rows = DynamicTest.dynamicTest(type.getSimpleName() + ": one row per field", () ->
        assertEquals(components, table.names(), ReferenceTable.FILE + ", section " + type.getSimpleName()
            + ": the rows must be the record's fields, in order"));
    return Stream.concat(Stream.of(rows), Arrays.stream(type.getRecordComponents()).map(component ->
        DynamicTest.dynamicTest(type.getSimpleName() + "." + component.getName(), () -> {
          String where = ReferenceTable.FILE + ", " + type.getSimpleName() + "." + component.getName();
          Object actual = component.getAccessor().invoke(defaults);
          Object documented = DocValue.parse(table.cell(component.getName(), "default"), component.getGenericType());
          Object compared = actual instanceof Supplier<?> supplier ? supplier.get().getClass() : actual;
          assertEquals(documented, compared, where + ": the default");
          new RangeCheck(type, defaults, component, where).check(table.cell(component.getName(), "range"));
        })));
  }

  @Test
  void everyBuilderSettingIsListed() {
    checkSetters(MeshBuilder.class, "MeshBuilder");
    checkSetters(NettyTransport.Builder.class, "NettyTransport (mesh-netty)");
    checkSetters(EtcdServiceRegistryBuilder.class, "EtcdServiceRegistry (mesh-etcd)");
    checkSetters(ControlPlaneServer.Builder.class, "ControlPlaneServer (mesh-controlplane)");
  }

  private static void checkSetters(Class<?> builder, String section) {
    TreeSet<String> setters = Arrays.stream(builder.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getReturnType() == builder)
        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(setters, new TreeSet<>(ReferenceTable.of(section).names()),
        ReferenceTable.FILE + ", section " + section + ": one row per setting of " + builder.getSimpleName());
  }

  /** The public records of mesh-core's policy and resilience packages. */
  private static List<String> policyRecordsInCore() throws IOException, URISyntaxException {
    return ClassFiles.of(ServicePolicy.class).stream()
        .filter(name -> name.matches("io\\.meshwork\\.(policy|resilience)\\.[A-Za-z]+"))
        .filter(name -> {
          try {
            Class<?> type = Class.forName(name);
            return type.isRecord() && Modifier.isPublic(type.getModifiers());
          } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
          }
        }).toList();
  }
}
