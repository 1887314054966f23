/**
 * Ports a user meets in netstat, ss, tcpdump and tshark output, with the service names those tools print when they
 * resolve ports (`ssh`, `http`, `domain`, `mysql` ...), and the ephemeral (client) port ranges of each system.
 *
 * `names` are Debian's /etc/services (netbase) names, which net-tools `netstat` and tcpdump print without `-n`/`-nn`;
 * `ianaName` is set where IANA's registry (which Wireshark/tshark and other systems use) names the port after
 * something else than the service usually found there.
 */
import type { Lang, Localized } from '../model';
import { L, tr } from './lang';

export interface PortInfo {
  readonly port: number;
  /** What usually listens there. */
  readonly service: string;
  /** Names tools print for it (first = the one net-tools and tcpdump show). Empty when /etc/services has none. */
  readonly names: readonly string[];
  readonly ianaName?: string;
  readonly description: Localized;
}

const P = (port: number, service: string, names: readonly string[], en: string, zh: string, ianaName?: string): PortInfo => ({
  port,
  service,
  names,
  description: L(en, zh),
  ...(ianaName ? { ianaName } : {}),
});

const LIST: readonly PortInfo[] = [
  P(20, 'FTP data', ['ftp-data'], 'FTP data connections in active mode.', 'FTP 主动模式下的数据连接。'),
  P(21, 'FTP', ['ftp'], 'FTP control connection.', 'FTP 控制连接。'),
  P(22, 'SSH', ['ssh'], 'Secure shell: remote logins, `scp`, `sftp`, git over SSH.', '安全外壳：远程登录、`scp`、`sftp`、基于 SSH 的 git。'),
  P(23, 'Telnet', ['telnet'], 'Telnet: unencrypted remote login; should not be open today.', 'Telnet：不加密的远程登录，如今不应再开放。'),
  P(25, 'SMTP', ['smtp'], 'Mail transfer between servers.', '邮件服务器之间的传输。'),
  P(53, 'DNS', ['domain'], 'DNS. Over TCP for zone transfers and answers too big for UDP.', 'DNS。区域传送和 UDP 装不下的大应答走 TCP。'),
  P(80, 'HTTP', ['http', 'www'], 'Plain HTTP.', '明文 HTTP。'),
  P(110, 'POP3', ['pop3'], 'Mail retrieval (POP3).', '收取邮件（POP3）。'),
  P(111, 'RPC portmapper', ['sunrpc', 'portmapper'], 'ONC RPC port mapper (NFS and friends).', 'ONC RPC 端口映射（NFS 等使用）。'),
  P(135, 'MS RPC', ['epmap', 'loc-srv'], 'Windows RPC endpoint mapper.', 'Windows RPC 终结点映射器。'),
  P(139, 'NetBIOS session', ['netbios-ssn'], 'Windows file sharing over NetBIOS (old SMB).', '基于 NetBIOS 的 Windows 文件共享（旧版 SMB）。'),
  P(143, 'IMAP', ['imap2', 'imap'], 'Mail access (IMAP).', '邮件访问（IMAP）。'),
  P(389, 'LDAP', ['ldap'], 'Directory service (LDAP, Active Directory).', '目录服务（LDAP、Active Directory）。'),
  P(443, 'HTTPS', ['https'], 'HTTP over TLS (and HTTP/3 on UDP 443).', '基于 TLS 的 HTTP（UDP 443 上还有 HTTP/3）。'),
  P(445, 'SMB', ['microsoft-ds'], 'Windows file sharing (SMB) directly over TCP.', '直接基于 TCP 的 Windows 文件共享（SMB）。'),
  P(465, 'SMTP submission (TLS)', ['submissions', 'ssmtp', 'smtps'], 'Mail submission over implicit TLS.', '隐式 TLS 的邮件提交。'),
  P(587, 'SMTP submission', ['submission'], 'Mail submission by clients (STARTTLS).', '客户端提交邮件（STARTTLS）。'),
  P(636, 'LDAPS', ['ldaps'], 'LDAP over TLS.', '基于 TLS 的 LDAP。'),
  P(873, 'rsync', ['rsync'], 'rsync daemon.', 'rsync 守护进程。'),
  P(993, 'IMAPS', ['imaps'], 'IMAP over TLS.', '基于 TLS 的 IMAP。'),
  P(995, 'POP3S', ['pop3s'], 'POP3 over TLS.', '基于 TLS 的 POP3。'),
  P(1080, 'SOCKS', ['socks'], 'SOCKS proxy.', 'SOCKS 代理。'),
  P(1433, 'SQL Server', ['ms-sql-s'], 'Microsoft SQL Server.', 'Microsoft SQL Server 数据库。'),
  P(1521, 'Oracle', [], 'Oracle database listener.', 'Oracle 数据库监听器。'),
  P(2049, 'NFS', ['nfs'], 'NFS file server.', 'NFS 文件服务。'),
  P(2181, 'ZooKeeper', [], 'ZooKeeper client port (Kafka, HBase and others depend on it).', 'ZooKeeper 客户端端口（Kafka、HBase 等依赖它）。', 'eforward'),
  P(2375, 'Docker API', [], 'Docker Engine API without TLS: never expose it to a network.', '不带 TLS 的 Docker Engine API：绝不要暴露到网络上。'),
  P(2376, 'Docker API (TLS)', [], 'Docker Engine API over TLS.', '基于 TLS 的 Docker Engine API。'),
  P(2379, 'etcd', [], 'etcd client API (Kubernetes stores its state here).', 'etcd 客户端 API（Kubernetes 的状态存在这里）。'),
  P(2380, 'etcd peer', [], 'etcd peer traffic between cluster members.', 'etcd 集群成员之间的通信。'),
  P(3000, 'Grafana / dev servers', [], 'Grafana, and many development web servers.', 'Grafana，以及许多开发用 Web 服务器。'),
  P(3306, 'MySQL', ['mysql'], 'MySQL / MariaDB.', 'MySQL / MariaDB 数据库。'),
  P(3389, 'RDP', ['ms-wbt-server'], 'Windows Remote Desktop.', 'Windows 远程桌面。'),
  P(4369, 'epmd', ['epmd'], 'Erlang port mapper (RabbitMQ, CouchDB clusters).', 'Erlang 端口映射（RabbitMQ、CouchDB 集群使用）。'),
  P(5000, 'dev servers / registry', [], 'Flask and other development servers, a Docker registry, macOS AirPlay receiver.', 'Flask 等开发服务器、Docker 镜像仓库、macOS 的 AirPlay 接收器。'),
  P(5432, 'PostgreSQL', ['postgresql', 'postgres'], 'PostgreSQL.', 'PostgreSQL 数据库。'),
  P(5671, 'AMQP over TLS', ['amqps'], 'AMQP over TLS (RabbitMQ).', '基于 TLS 的 AMQP（RabbitMQ）。'),
  P(5672, 'AMQP', ['amqp'], 'AMQP (RabbitMQ).', 'AMQP 消息队列（RabbitMQ）。'),
  P(5900, 'VNC', [], 'VNC remote desktop (display :0).', 'VNC 远程桌面（显示号 :0）。'),
  P(6379, 'Redis', ['redis'], 'Redis.', 'Redis 内存数据库。'),
  P(6443, 'Kubernetes API', [], 'Kubernetes API server.', 'Kubernetes API 服务器。'),
  P(8000, 'HTTP (alternate)', [], 'Development and alternate HTTP servers.', '开发用或备用的 HTTP 服务。'),
  P(8080, 'HTTP (alternate)', ['http-alt', 'webcache'], 'Alternate HTTP: proxies, Tomcat, application servers. Decoders may label its payload HTTP even when it is not.', '备用 HTTP：代理、Tomcat、应用服务器。解码器可能把它的内容标成 HTTP，即使实际上不是。'),
  P(8443, 'HTTPS (alternate)', [], 'Alternate HTTPS: admin consoles, application servers.', '备用 HTTPS：管理控制台、应用服务器。', 'pcsync-https'),
  P(9000, 'various', [], 'PHP-FPM, SonarQube, MinIO and many others.', 'PHP-FPM、SonarQube、MinIO 等很多服务。'),
  P(9090, 'Prometheus', [], 'Prometheus server (also Cockpit).', 'Prometheus 服务（Cockpit 也用它）。', 'websm'),
  P(9092, 'Kafka', [], 'Kafka broker.', 'Kafka 代理节点。', 'XmlIpcRegSvc'),
  P(9100, 'node_exporter / printers', [], 'Prometheus node_exporter; raw printing (JetDirect) on printers.', 'Prometheus node_exporter；打印机上是直接打印（JetDirect）。'),
  P(9200, 'Elasticsearch', [], 'Elasticsearch / OpenSearch HTTP API.', 'Elasticsearch / OpenSearch 的 HTTP API。', 'wap-wsp'),
  P(9300, 'Elasticsearch transport', [], 'Elasticsearch node-to-node transport.', 'Elasticsearch 节点之间的传输端口。'),
  P(9418, 'git', ['git'], 'git daemon (`git://`).', 'git 守护进程（`git://`）。'),
  P(10250, 'kubelet', [], 'Kubernetes kubelet API.', 'Kubernetes 节点代理 kubelet 的 API。'),
  P(11211, 'memcached', [], 'memcached.', 'memcached 缓存。', 'memcache'),
  P(15672, 'RabbitMQ management', [], 'RabbitMQ management web UI and API.', 'RabbitMQ 管理界面和 API。'),
  P(27017, 'MongoDB', [], 'MongoDB.', 'MongoDB 数据库。'),
];

const BY_PORT: ReadonlyMap<number, PortInfo> = new Map(LIST.map((p) => [p.port, p]));
const BY_NAME: ReadonlyMap<string, PortInfo> = new Map(
  LIST.flatMap((p) => [...p.names, ...(p.ianaName ? [p.ianaName] : [])].map((n) => [n.toLowerCase(), p] as const)),
);

export const PORTS: readonly PortInfo[] = LIST;

export interface PortRange {
  readonly system: 'linux' | 'iana' | 'windows' | 'bsd' | 'windows-xp';
  readonly first: number;
  readonly last: number;
  readonly where: Localized;
}

/** Ephemeral (client-side, kernel-chosen) port ranges. */
export const EPHEMERAL_RANGES: readonly PortRange[] = [
  {
    system: 'linux',
    first: 32768,
    last: 60999,
    where: L('Linux default (`net.ipv4.ip_local_port_range`).', 'Linux 默认值（`net.ipv4.ip_local_port_range`）。'),
  },
  {
    system: 'iana',
    first: 49152,
    last: 65535,
    where: L('IANA dynamic/private range (RFC 6335).', 'IANA 规定的动态/私有端口范围（RFC 6335）。'),
  },
  {
    system: 'windows',
    first: 49152,
    last: 65535,
    where: L(
      'Windows Vista and later (`netsh int ipv4 show dynamicport tcp`).',
      'Windows Vista 及以后（`netsh int ipv4 show dynamicport tcp`）。',
    ),
  },
  {
    system: 'bsd',
    first: 49152,
    last: 65535,
    where: L(
      'macOS and FreeBSD (`net.inet.ip.portrange.first` / `last`).',
      'macOS 和 FreeBSD（`net.inet.ip.portrange.first` / `last`）。',
    ),
  },
  {
    system: 'windows-xp',
    first: 1025,
    last: 5000,
    where: L('Windows XP / Server 2003 and older.', 'Windows XP / Server 2003 及更早版本。'),
  },
];

export function portInfo(port: number): PortInfo | undefined {
  return BY_PORT.get(port);
}

/** By a name a tool printed instead of the number (`ssh`, `http`, `domain`, `postgresql`, `wap-wsp`). */
export function portByName(name: string): PortInfo | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

export type PortClass = 'well-known' | 'registered' | 'dynamic' | 'invalid';

/** IANA's three ranges: 0–1023 well-known (system), 1024–49151 registered (user), 49152–65535 dynamic. */
export function portClass(port: number): PortClass {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return 'invalid';
  if (port < 1024) return 'well-known';
  if (port < 49152) return 'registered';
  return 'dynamic';
}

/** The ephemeral ranges a port falls in. */
export function ephemeralRangesOf(port: number): readonly PortRange[] {
  return EPHEMERAL_RANGES.filter((r) => port >= r.first && port <= r.last);
}

const RANGE_NAMES: Readonly<Record<PortRange['system'], readonly [string, string]>> = {
  linux: ['Linux', 'Linux'],
  iana: ['IANA', 'IANA'],
  windows: ['Windows', 'Windows'],
  bsd: ['macOS/FreeBSD', 'macOS/FreeBSD'],
  'windows-xp': ['Windows XP', 'Windows XP'],
};

/** Markdown for a port hover: the service if known, and whether the port looks kernel-chosen (a client's). */
export function describePort(port: number | string, lang: Lang): string | undefined {
  const zh = lang === 'zh-cn';
  const info = typeof port === 'number' ? portInfo(port) : /^\d{1,5}$/.test(port) ? portInfo(Number(port)) : portByName(port);
  const n = typeof port === 'number' ? port : info ? info.port : /^\d{1,5}$/.test(port) ? Number(port) : undefined;
  if (n === undefined || portClass(n) === 'invalid') return undefined;
  const lines: string[] = [];
  if (info) {
    const printed = typeof port === 'string' && !/^\d+$/.test(port) ? port : undefined;
    let head = `**${info.port}** ${info.service}${zh ? '：' : ': '}${tr(info.description, lang)}`;
    if (printed) {
      head += zh
        ? `\n\n\`${printed}\` 是工具按服务名数据库把端口 ${info.port} 解析后的名字（用 \`-n\` 可显示数字）。`
        : `\n\n\`${printed}\` is the name the tool printed for port ${info.port} from its services database (use \`-n\` ` +
          'for numbers).';
    }
    if (info.ianaName && printed !== info.ianaName) {
      head += zh
        ? `\n\n按 IANA 登记名解析的工具（如 tshark）会把它显示为 \`${info.ianaName}\`。`
        : `\n\nTools that use IANA's registry (such as tshark) print it as \`${info.ianaName}\`.`;
    }
    lines.push(head);
  } else {
    lines.push(zh ? `端口 **${n}**。` : `Port **${n}**.`);
  }
  const cls = portClass(n);
  const ranges = ephemeralRangesOf(n).filter((r) => r.system !== 'windows-xp');
  if (cls === 'well-known' && !info) {
    lines.push(zh ? '0–1023 是知名端口，只有特权进程才能监听。' : 'Ports 0–1023 are well-known ports; only privileged processes may listen on them.');
  } else if (ranges.length > 0 && !info) {
    const names = ranges.map((r) => `${RANGE_NAMES[r.system][zh ? 1 : 0]} ${r.first}–${r.last}`);
    lines.push(
      zh
        ? `它落在临时端口范围内（${names.join('；')}），很可能是内核为客户端连接自动分配的本地端口。`
        : `It is in the ephemeral range of ${names.join('; ')}, so it is most likely a port the kernel picked for a ` +
            'client connection.',
    );
  }
  return lines.join('\n\n');
}
