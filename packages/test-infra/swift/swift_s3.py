"""OpenStack Swift with its S3 API (s3api + tempauth) on loopback, for tests: a real S3
implementation from Debian's python3-swift, in one scratch directory.

    python3 swift_s3.py <directory> <proxy port> [<public bucket>...]

Writes the configuration and rings under <directory>, starts memcached and Swift's account,
container, object and proxy servers (each its own process), creates the public buckets (world
readable at http://127.0.0.1:<port>/v1/AUTH_lightbox/<bucket>/<key>, as a CDN in front of a bucket
would be), prints `ready <port>` once the proxy answers, and stops them all on SIGTERM/SIGINT or
when the process that started it is gone. S3 credentials: access key `lightbox:tester`, secret
`lightbox-secret`.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ACCESS_KEY = 'lightbox:tester'
SECRET_KEY = 'lightbox-secret'
DEVICE = 'd1'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def defaults(root, port):
    """The [DEFAULT] section every server shares: loopback, one process, warnings only."""
    return f"""[DEFAULT]
bind_ip = 127.0.0.1
bind_port = {port}
workers = 0
swift_dir = {root}/conf
log_level = WARNING
"""


def server_conf(root, port, app):
    return defaults(root, port) + f"""devices = {root}/srv
mount_check = false
disable_fallocate = true

[pipeline:main]
pipeline = {app}-server

[app:{app}-server]
use = egg:swift#{app}

[{app}-replicator]
[{app}-updater]
[{app}-auditor]
"""


def proxy_conf(root, port, memcached_port):
    # The pipeline Swift documents for s3api with tempauth; slo carries S3 multipart uploads.
    return defaults(root, port) + f"""
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:s3api]
use = egg:swift#s3api
location = us-east-1

[filter:tempauth]
use = egg:swift#tempauth
user_lightbox_tester = {SECRET_KEY} .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:{memcached_port}

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
"""


def build_rings(root, ports):
    from swift.common.ring import RingBuilder
    for name, port in ports.items():
        builder = RingBuilder(4, 1, 1)
        builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port,
                         'device': DEVICE, 'weight': 1})
        builder.rebalance()
        builder.get_ring().save(f'{root}/conf/{name}.ring.gz')


def serve(conf_path, section):
    """One Swift server in this process, logging to stderr instead of syslog."""
    from swift.common import utils
    utils.ThreadSafeSysLogHandler.emit = lambda self, record: None
    utils.set_swift_dir(os.path.dirname(os.path.dirname(conf_path)) + '/conf')
    from swift.common.wsgi import run_wsgi
    sys.exit(run_wsgi(conf_path, section, verbose=True))


def create_public_buckets(proxy_port, buckets):
    """Through Swift's own API: S3 anonymous reads are not part of s3api."""
    auth = urllib.request.Request(f'http://127.0.0.1:{proxy_port}/auth/v1.0',
                                  headers={'X-Auth-User': ACCESS_KEY, 'X-Auth-Key': SECRET_KEY})
    with urllib.request.urlopen(auth, timeout=10) as r:
        storage_url, token = r.headers['X-Storage-Url'], r.headers['X-Auth-Token']
    for bucket in buckets:
        put = urllib.request.Request(f'{storage_url}/{bucket}', method='PUT', headers={
            'X-Auth-Token': token, 'X-Container-Read': '.r:*'})
        urllib.request.urlopen(put, timeout=10).close()


def main(root, proxy_port, public_buckets):
    memcached = shutil.which('memcached')
    if not memcached:
        sys.exit('memcached was not found on PATH (apt-get install memcached)')
    for d in ('conf', 'servers', f'srv/{DEVICE}'):
        os.makedirs(f'{root}/{d}', exist_ok=True)
    write(f'{root}/conf/swift.conf', '[swift-hash]\nswift_hash_path_suffix = lightbox-test\n'
          'swift_hash_path_prefix = lightbox-test\n\n[storage-policy:0]\nname = default\ndefault = yes\n')
    ports = {name: free_port() for name in ('account', 'container', 'object')}
    build_rings(root, ports)
    memcached_port = free_port()
    children = [subprocess.Popen([memcached, '-l', '127.0.0.1', '-p', str(memcached_port), '-U', '0',
                                  '-m', '64'] + (['-u', 'root'] if os.getuid() == 0 else []))]
    for name, port in ports.items():
        conf = f'{root}/servers/{name}.conf'
        write(conf, server_conf(root, port, name))
        children.append(subprocess.Popen([sys.executable, __file__, 'serve', conf, f'{name}-server']))
    conf = f'{root}/servers/proxy.conf'
    write(conf, proxy_conf(root, proxy_port, memcached_port))
    children.append(subprocess.Popen([sys.executable, __file__, 'serve', conf, 'proxy-server']))

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.time() + 5
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    deadline = time.time() + 60
    while True:
        for child in children:
            if child.poll() is not None:
                print(f'a Swift process exited with {child.returncode}: {child.args}', file=sys.stderr)
                stop()
        try:
            with urllib.request.urlopen(f'http://127.0.0.1:{proxy_port}/healthcheck', timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.time() > deadline:
            print('Swift did not answer within 60 s', file=sys.stderr)
            stop()
        time.sleep(0.1)
    create_public_buckets(proxy_port, public_buckets)
    print(f'ready {proxy_port}', flush=True)
    parent = os.getppid()
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            stop()
        for child in children:
            if child.poll() is not None:
                print(f'a Swift process exited with {child.returncode}: {child.args}', file=sys.stderr)
                stop()


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'serve':
        serve(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3:
        main(os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])
    else:
        sys.exit(__doc__)
