// Canary.spec.service: how Wren exposes the target (Services, routes). Field names follow Flagger's,
// so a Flagger Canary moves over by changing its apiVersion. Provider-specific structures
// (Istio match/trafficPolicy/corsPolicy, Gateway API filters) are passed through to the router.
import { Type } from '@sinclair/typebox';
import { Described, Enum, FreeForm, IntOrString, NamespaceName, ObjectName, StringList, StringMap } from './schema-types.ts';

const ObjectMetadataOverlay = (description: string) =>
  Described(description, {
    labels: Type.Optional(StringMap('Labels to add')),
    annotations: Type.Optional(StringMap('Annotations to add')),
  });

export const GatewayParentRef = Described('A parent Gateway of the HTTPRoute', {
  group: Type.Optional(Type.String({ description: 'API group of the parent (default gateway.networking.k8s.io)' })),
  kind: Type.Optional(Type.String({ description: 'Kind of the parent (default Gateway)' })),
  name: ObjectName('Name of the parent'),
  namespace: Type.Optional(NamespaceName('Namespace of the parent')),
  sectionName: Type.Optional(Type.String({ description: 'Listener name on the parent' })),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Listener port on the parent' })),
});

export const CanaryService = Described('The Services and routes Wren generates for the target', {
  name: Type.Optional(Type.String({ description: 'Name of the apex Service (default: the target name)' })),
  port: Type.Integer({ minimum: 1, maximum: 65535, description: 'Port the Services expose' }),
  portName: Type.Optional(Type.String({ description: 'Name of the Service port (default http)' })),
  targetPort: Type.Optional(IntOrString('Container port number or name (default: port)')),
  appProtocol: Type.Optional(Type.String({ description: 'Application protocol of the port' })),
  portDiscovery: Type.Optional(Type.Boolean({ description: 'Also expose every other container port' })),
  headless: Type.Optional(Type.Boolean({ description: 'Generate headless primary and canary Services' })),
  trafficDistribution: Type.Optional(
    Enum(['PreferClose', 'PreferSameZone', 'PreferSameNode'] as const, 'Traffic distribution of the Services'),
  ),
  timeout: Type.Optional(Type.String({ description: 'HTTP or gRPC request timeout' })),
  backendTimeout: Type.Optional(Type.String({ description: 'Backend request timeout (Gateway API)' })),
  hosts: Type.Optional(StringList('Host names routed to the Service')),
  gateways: Type.Optional(StringList('Istio gateways of the VirtualService (default mesh)')),
  gatewayRefs: Type.Optional(Type.Array(GatewayParentRef, { description: 'Parent Gateways of the HTTPRoute' })),
  delegation: Type.Optional(Type.Boolean({ description: 'Generate a delegate VirtualService' })),
  meshName: Type.Optional(Type.String({ description: 'Mesh name (App Mesh)' })),
  backends: Type.Optional(StringList('Backends (App Mesh)')),
  match: Type.Optional(Type.Array(FreeForm('A request match'), { description: 'Request match conditions of the route' })),
  retries: Type.Optional(
    Described('Retry policy for requests', {
      attempts: Type.Optional(Type.Integer({ minimum: 0, description: 'Number of retries' })),
      perTryTimeout: Type.Optional(Type.String({ description: 'Timeout of each attempt' })),
      retryOn: Type.Optional(Type.String({ description: 'Conditions that trigger a retry' })),
    }),
  ),
  rewrite: Type.Optional(FreeForm('URI and authority rewrite')),
  mirror: Type.Optional(Type.Array(FreeForm('A mirror backend'), { description: 'Request mirrors (Gateway API)' })),
  headers: Type.Optional(FreeForm('Request and response header operations')),
  corsPolicy: Type.Optional(FreeForm('Cross-origin resource sharing policy')),
  trafficPolicy: Type.Optional(FreeForm('Traffic policy of the destination rules')),
  apex: Type.Optional(ObjectMetadataOverlay('Metadata added to the apex Service')),
  primary: Type.Optional(ObjectMetadataOverlay('Metadata added to the primary Service')),
  canary: Type.Optional(ObjectMetadataOverlay('Metadata added to the canary Service')),
  unmanagedMetadata: Type.Optional(
    Described('Metadata keys on generated objects that Wren leaves to others', {
      labels: Type.Optional(StringList('Label keys')),
      annotations: Type.Optional(StringList('Annotation keys')),
    }),
  ),
});
