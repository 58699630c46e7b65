// What an image built from our Dockerfile sets for its container, read from the Dockerfile's last stage
// (the operator's image): a machine without a container engine cannot build it to look.
/** What the image itself sets: the last stage of the Dockerfile. */
export interface ImageConfig {
  workdir: string;
  user: { uid: number; gid: number } | undefined;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
}

export function imageConfig(dockerfile: string): ImageConfig {
  const stages = dockerfile.split(/^FROM /m);
  const last = stages.at(-1) ?? '';
  const config: ImageConfig = { workdir: '/', user: undefined, env: {}, entrypoint: [], cmd: [] };
  for (const line of last.replace(/\\\n/g, ' ').split('\n')) {
    const [instruction, ...rest] = line.trim().split(/\s+/);
    const value = rest.join(' ');
    if (instruction === 'WORKDIR') config.workdir = value;
    else if (instruction === 'USER') {
      const [uid, gid] = value.split(':').map(Number);
      config.user = { uid: uid as number, gid: gid ?? (uid as number) };
    } else if (instruction === 'ENV') {
      const [name, ...text] = value.split('=');
      config.env[name as string] = text.join('=');
    } else if (instruction === 'ENTRYPOINT') config.entrypoint = JSON.parse(value) as string[];
    else if (instruction === 'CMD') config.cmd = JSON.parse(value) as string[];
  }
  return config;
}
