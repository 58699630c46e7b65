// spec.images: image overrides applied to every rendered object without a commit, with kustomize's
// `images` semantics. Containers are found wherever a pod template sits (Deployment, CronJob's job
// template, a custom resource embedding a pod spec), as kustomize finds them.
import type { KubeObject } from '../../kube/objects.ts';
import type { RenderedObject } from '../rendered-object.ts';
import { overrideImage, type ImageOverride } from './image-reference.ts';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Overrides apply in order, each to the result of the last, as kustomize applies its list.
function withImage(container: unknown, images: ImageOverride[]): unknown {
  if (!isMap(container) || typeof container.image !== 'string') return container;
  const image = images.reduce((current, override) => overrideImage(current, override), container.image);
  return image === container.image ? container : { ...container, image };
}

function walk(value: unknown, images: ImageOverride[]): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, images));
  if (!isMap(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const walked = walk(item, images);
      return [key, CONTAINER_LISTS.has(key) && Array.isArray(walked) ? walked.map((container) => withImage(container, images)) : walked];
    }),
  );
}

export function overrideImages(objects: RenderedObject[], images: ImageOverride[] | undefined): RenderedObject[] {
  if (!images || images.length === 0) return objects;
  return objects.map((rendered) => ({ ...rendered, object: walk(rendered.object, images) as KubeObject }));
}
