package io.meshwork.registry;

/** The registry contract, against the in-memory registry. */
class InMemoryServiceRegistryTest extends ServiceRegistryContract {

  @Override
  protected ServiceRegistry newRegistry() {
    return new InMemoryServiceRegistry();
  }
}
