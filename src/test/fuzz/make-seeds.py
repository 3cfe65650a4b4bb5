#!/usr/bin/env python3
"""Writes the seed corpus of the @FuzzTest targets into src/test/resources/.../<Class>Inputs/<method>/.

Seeds are valid inputs made from real data: FFmpeg's captured handshake and publish session, FLV tags of the test
media (the files io.estuary.testing.MediaFiles makes, in target/test-media after a test run), the project's .conf
files, and hand-made chunks, AMF values, mounts and URLs. Run from the project root:
    python3 src/test/fuzz/make-seeds.py [test-media-dir]
"""
import os, struct, sys

ROOT = 'src/test/resources/io/estuary'
MEDIA = sys.argv[1] if len(sys.argv) > 1 else 'target/test-media'
CAPTURE = ROOT + '/rtmp/codec'


def seed(pkg, cls, method, name, data):
    d = f'{ROOT}/{pkg}/{cls}Inputs/{method}'
    os.makedirs(d, exist_ok=True)
    with open(f'{d}/{name}', 'wb') as f:
        f.write(data.encode() if isinstance(data, str) else data)


def read(path):
    with open(path, 'rb') as f:
        return f.read()


# --- FLV files -------------------------------------------------------------------------------------------------
def flv_tags(data):
    """(type, timestamp, body) of every tag."""
    i = data[5:9] and struct.unpack('>I', data[5:9])[0] + 4
    while i + 11 <= len(data):
        t = data[i] & 0x1f
        size = int.from_bytes(data[i + 1:i + 4], 'big')
        ts = int.from_bytes(data[i + 4:i + 7], 'big') | data[i + 7] << 24
        body = data[i + 11:i + 11 + size]
        if len(body) < size:
            return
        yield t, ts, body
        i += 11 + size + 4


FILES = ['h264-aac-640x360.flv', 'hevc-aac-640x360.flv', 'av1-aac-640x360.flv', 'vp9-aac-640x360.flv',
         'mp3-44k.flv', 'aac-only.flv', 'h264-only.flv']
flvs = {f: read(f'{MEDIA}/{f}') for f in FILES}


def first(f, pred):
    return next(b for t, _, b in flv_tags(flvs[f]) if pred(t, b))


# --- AMF0 / AMF3 ---------------------------------------------------------------------------------------------
def a0str(s):
    b = s.encode()
    return b'\x02' + struct.pack('>H', len(b)) + b


def a0num(n):
    return b'\x00' + struct.pack('>d', n)


def a0key(k):
    b = k.encode()
    return struct.pack('>H', len(b)) + b


def a0obj(d, marker=b'\x03'):
    return marker + b''.join(a0key(k) + v for k, v in d.items()) + b'\x00\x00\x09'


def a0ecma(d):
    return b'\x08' + struct.pack('>I', len(d)) + b''.join(a0key(k) + v for k, v in d.items()) + b'\x00\x00\x09'


CONNECT = a0str('connect') + a0num(1) + a0obj({
    'app': a0str('live'), 'type': a0str('nonprivate'), 'flashVer': a0str('FMLE/3.0 (compatible; Lavf61.7.100)'),
    'tcUrl': a0str('rtmp://127.0.0.1:1935/live'), 'fourCcList': b'\x0a' + struct.pack('>I', 3) + a0str('av01')
    + a0str('vp09') + a0str('hvc1')})
PUBLISH = a0str('publish') + a0num(5) + b'\x05' + a0str('livestream?token=abc') + a0str('live')
METADATA = a0str('@setDataFrame') + a0str('onMetaData') + a0ecma({
    'duration': a0num(0), 'width': a0num(640), 'height': a0num(360), 'videocodecid': a0num(7),
    'stereo': b'\x01\x01', 'encoder': a0str('Lavf61.7.100')})
MISC = (b'\x05' + b'\x06' + b'\x0b' + struct.pack('>dh', 1.7e12, 0) + b'\x0c' + struct.pack('>I', 4) + b'long'
        + b'\x0f' + struct.pack('>I', 5) + b'<a/>x' + b'\x10' + a0key('Cls') + a0key('k') + a0num(2) + b'\x00\x00\x09'
        + b'\x0a' + struct.pack('>I', 2) + a0obj({'x': a0num(1)}) + b'\x07\x00\x00')


def u29(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x4000:
        return bytes([n >> 7 | 0x80, n & 0x7f])
    if n < 0x200000:
        return bytes([n >> 14 | 0x80, n >> 7 & 0x7f | 0x80, n & 0x7f])
    return bytes([n >> 22 | 0x80, n >> 15 & 0x7f | 0x80, n >> 8 & 0x7f | 0x80, n & 0xff])


def a3str(s):
    b = s.encode()
    return u29(len(b) << 1 | 1) + b


A3_OBJECT = (b'\x0a' + u29(2 << 4 | 0b1011) + a3str('Point') + a3str('x') + a3str('y')
             + b'\x04' + u29(1) + b'\x05' + struct.pack('>d', 2.5) + a3str('extra') + b'\x06' + a3str('v') + b'\x01')
A3_ARRAY = (b'\x09' + u29(3 << 1 | 1) + a3str('name') + b'\x06' + a3str('live') + b'\x01'
            + b'\x04' + u29(300) + b'\x03' + b'\x06' + b'\x00')  # string reference 0
A3_MISC = b'\x09' + u29(4 << 1 | 1) + b'\x01' + b'\x0c' + u29(3 << 1 | 1) + b'abc' + b'\x08' + u29(1) + struct.pack(
    '>d', 1.7e12) + b'\x04' + u29(0x1fffffff) + b'\x0b' + a3str('<x/>')

for name, data in [('connect', CONNECT), ('publish', PUBLISH), ('metadata', METADATA), ('misc', MISC),
                   ('avmplus', a0str('onMetaData') + b'\x11' + A3_OBJECT)]:
    seed('amf', 'AmfFuzzTest', 'amf0', name, data)
for name, data in [('object', A3_OBJECT), ('array', A3_ARRAY), ('misc', A3_MISC)]:
    seed('amf', 'AmfFuzzTest', 'amf3', name, data)


# --- RTMP chunks -------------------------------------------------------------------------------------------------
def basic(fmt, csid):
    if csid < 64:
        return bytes([fmt << 6 | csid])
    if csid < 320:
        return bytes([fmt << 6, csid - 64])
    return bytes([fmt << 6 | 1]) + struct.pack('<H', csid - 64)


def chunks(csid, type_id, stream_id, ts, body, chunk_size=128, fmt=0, repeat_extended=True):
    ext = ts >= 0xffffff
    field = 0xffffff if ext else ts
    if fmt == 0:
        head = basic(0, csid) + field.to_bytes(3, 'big') + len(body).to_bytes(3, 'big') + bytes([type_id]) \
               + struct.pack('<I', stream_id)
    elif fmt == 1:
        head = basic(1, csid) + field.to_bytes(3, 'big') + len(body).to_bytes(3, 'big') + bytes([type_id])
    else:
        head = basic(fmt, csid) + (field.to_bytes(3, 'big') if fmt == 2 else b'')
    extended = struct.pack('>I', ts) if ext else b''
    out = head + extended + body[:chunk_size]
    for i in range(chunk_size, len(body), chunk_size):
        out += basic(3, csid) + (extended if repeat_extended else b'') + body[i:i + chunk_size]
    return out


video = first('h264-aac-640x360.flv', lambda t, b: t == 9 and b[1] == 1)[:600]
audio = first('h264-aac-640x360.flv', lambda t, b: t == 8 and b[1] == 1)
aggregate = b''.join(bytes([t]) + len(b).to_bytes(3, 'big') + (ts & 0xffffff).to_bytes(3, 'big') + bytes([ts >> 24])
                     + b'\0\0\0' + b + struct.pack('>I', 11 + len(b))
                     for t, ts, b in [(8, 1000, audio), (9, 1020, video[:200]), (18, 1000, METADATA)])
control = (chunks(2, 1, 0, 0, struct.pack('>I', 4096)) + chunks(2, 5, 0, 0, struct.pack('>I', 2500000))
           + chunks(2, 4, 0, 0, struct.pack('>HII', 3, 1, 3000)) + chunks(2, 6, 0, 0, struct.pack('>IB', 2500000, 2))
           + chunks(2, 3, 0, 0, struct.pack('>I', 12345)))
CHUNK_SEEDS = {
    'commands': chunks(3, 20, 0, 0, CONNECT) + chunks(3, 20, 0, 0, PUBLISH, fmt=1) + chunks(4, 18, 1, 0, METADATA),
    'control': control + chunks(6, 9, 1, 40, video, chunk_size=4096),
    'multichunk-video': chunks(6, 9, 1, 0, video) + chunks(6, 9, 1, 33, video, fmt=1) + chunks(6, 9, 1, 33, video, fmt=2)
                        + chunks(6, 9, 1, 33, video, fmt=3),
    'extended-timestamp': chunks(4, 8, 1, 0x1000000, audio * 8) + chunks(4, 8, 1, 0x1000000, audio * 8,
                                                                        repeat_extended=False),
    'chunk-stream-ids': chunks(64 + 10, 8, 1, 5, audio) + chunks(400, 8, 1, 5, audio) + chunks(65599, 8, 1, 5, audio),
    'abort': chunks(6, 9, 1, 0, video)[:300] + chunks(2, 2, 0, 0, struct.pack('>I', 6)) + chunks(6, 9, 1, 0, audio),
    'aggregate': chunks(5, 22, 1, 5000, aggregate) + chunks(5, 15, 1, 0, b'\0' + METADATA)
                 + chunks(3, 17, 0, 0, b'\0' + PUBLISH),
}
publish = read(f'{CAPTURE}/ffmpeg-publish.bin')
seed('rtmp/codec', 'RtmpCodecFuzzTest', 'chunkStream', 'ffmpeg-publish-start', b'\0' + publish[:4096])
seed('rtmp/codec', 'RtmpCodecFuzzTest', 'chunkStream', 'ffmpeg-publish-start-split', b'\x02' + publish[:4096])
for name, data in CHUNK_SEEDS.items():
    seed('rtmp/codec', 'RtmpCodecFuzzTest', 'chunkStream', name, b'\0' + data)

c0c1 = read(f'{CAPTURE}/ffmpeg-c0c1.bin')
simple = b'\x03' + (b'\0' * 8 + bytes(i & 0xff for i in range(1528)))
seed('rtmp/codec', 'RtmpCodecFuzzTest', 'handshake', 'ffmpeg-digest', b'\0' + c0c1 + b'\0' * 1536 + publish[:1024])
seed('rtmp/codec', 'RtmpCodecFuzzTest', 'handshake', 'simple', b'\0' + simple + b'\0' * 1536
     + CHUNK_SEEDS['commands'])
seed('rtmp/codec', 'RtmpCodecFuzzTest', 'handshake', 'simple-split', b'\x05' + simple + b'\0' * 1536)
seed('rtmp/codec', 'RtmpCodecFuzzTest', 'handshake', 'rtmpe-version', b'\0\x06' + simple[1:])

# --- FLV streams and tag bodies --------------------------------------------------------------------------------
for f in FILES[:6]:
    name = f.replace('.flv', '')
    seed('flv', 'FlvFuzzTest', 'flvStream', name, b'\0' + flvs[f][:3000])
seed('flv', 'FlvFuzzTest', 'flvStream', 'h264-aac-split', b'\x03' + flvs[FILES[0]][:2000])

for f in ['h264-aac-640x360.flv', 'hevc-aac-640x360.flv', 'av1-aac-640x360.flv', 'vp9-aac-640x360.flv']:
    name = f.split('-')[0]
    bodies = [b for t, _, b in flv_tags(flvs[f]) if t == 9]
    seed('media', 'MediaFuzzTest', 'videoTag', name + '-sequence-header', bodies[0])
    seed('media', 'MediaFuzzTest', 'videoTag', name + '-keyframe', bodies[1][:1024])
    seed('media', 'MediaFuzzTest', 'videoTag', name + '-frame', bodies[2][:256])
MULTITRACK = bytes([0x80 | 0x10 | 6, 0x00 | 0x00]) + b'avc1' + b'\x00' + struct.pack('>I', 0)  # one-track, metadata
seed('media', 'MediaFuzzTest', 'videoTag', 'modex-multitrack',
     bytes([0x90 | 7, 0]) + b'\x03\x00\x00\x10' + bytes([0x90 | 6, 1]) + b'avc1\x00' + bodies[0][5:40])
for f in ['aac-only.flv', 'mp3-44k.flv']:
    bodies = [b for t, _, b in flv_tags(flvs[f]) if t == 8]
    seed('media', 'MediaFuzzTest', 'audioTag', f.split('-')[0] + '-first', bodies[0][:512])
    seed('media', 'MediaFuzzTest', 'audioTag', f.split('-')[0] + '-second', bodies[1][:512])
OPUS_HEAD = b'OpusHead\x01\x02\x38\x01\x80\xbb\x00\x00\x00\x00\x00'
seed('media', 'MediaFuzzTest', 'audioTag', 'opus-sequence-start', b'\x90Opus' + OPUS_HEAD)
seed('media', 'MediaFuzzTest', 'audioTag', 'flac-sequence-start',
     b'\x90fLaC' + b'\x00\x00\x00\x22' + bytes([0x10, 0, 0x10, 0]) + b'\0' * 6 + bytes([0x0a, 0xc4, 0x42, 0xf0]) + b'\0' * 20)
seed('media', 'MediaFuzzTest', 'audioTag', 'ac3-frame', b'\x91ac-3' + bytes([0x0b, 0x77, 0, 0, 0x14, 0x40, 0x43]) + b'\0' * 8)
seed('media', 'MediaFuzzTest', 'audioTag', 'multitrack',
     b'\x95' + b'\x10' + b'mp4a' + b'\x00' + struct.pack('>I', 2)[1:] + b'\x12\x10')

avc_record = first('h264-aac-640x360.flv', lambda t, b: t == 9)[5:]
hevc_record = first('hevc-aac-640x360.flv', lambda t, b: t == 9)[5:]
av1c = first('av1-aac-640x360.flv', lambda t, b: t == 9)[5:]
vp9_key = [b for t, _, b in flv_tags(flvs['vp9-aac-640x360.flv']) if t == 9][1]
asc = first('aac-only.flv', lambda t, b: t == 8)[2:]
sps = avc_record[8:8 + int.from_bytes(avc_record[6:8], 'big')]
# hvcC: 22 bytes, numOfArrays, then arrays of (type, count, (length, nal)*); the SPS is NAL type 33
i, hevc_sps = 23, None
for _ in range(hevc_record[22]):
    nal_type, count = hevc_record[i] & 0x3f, int.from_bytes(hevc_record[i + 1:i + 3], 'big')
    i += 3
    for _ in range(count):
        n = int.from_bytes(hevc_record[i:i + 2], 'big')
        if nal_type == 33:
            hevc_sps = hevc_record[i + 2:i + 2 + n]
        i += 2 + n
for name, data in [('avc-record', b'\0' + avc_record), ('hevc-record', b'\1' + hevc_record), ('aac-asc', b'\2' + asc),
                   ('aac-he', b'\2\x2b\x92\x08\x00'), ('av1-obus', b'\3' + av1c[4:]), ('avc-sps', b'\4' + sps),
                   ('hevc-sps', b'\5' + hevc_sps), ('vp9-keyframe', b'\6' + vp9_key[5:200])]:
    seed('media', 'MediaFuzzTest', 'codecConfig', name, data)

# --- TS muxer: frames of the test media -----------------------------------------------------------------------
for f in ['h264-aac-640x360.flv', 'hevc-aac-640x360.flv', 'mp3-44k.flv']:
    out, last, n = b'', 0, 0
    for t, ts, b in flv_tags(flvs[f]):
        if t not in (8, 9):
            continue
        b = b[:700]
        out += bytes([(1 if t == 9 else 0) | (2 if n == 0 else 0)]) + struct.pack('>H', len(b)) + bytes([min(ts - last, 255)]) + b
        last, n = ts, n + 1
        if n == 12:
            break
    seed('mpegts', 'TsMuxerFuzzTest', 'frames', f.split('-')[0], out)

# --- configuration, mounts, URLs ------------------------------------------------------------------------------
for path in ['conf/srs.conf', 'conf/rtmp.conf', 'src/test/resources/conf/typed.conf',
             'src/test/resources/conf/include/main.conf']:
    seed('config', 'ConfFuzzTest', 'srsConf', os.path.basename(path), read(path))
seed('config', 'ConfFuzzTest', 'srsConf', 'hls-http', '''listen 1935;
max_connections 1000;
daemon off;
http_server { enabled on; listen 8080; dir ./objs/nginx/html; }
http_api { enabled on; listen 1985; }
vhost __defaultVhost__ {
    chunk_size 60000;
    tcp_nodelay on;
    min_latency on;
    hls { enabled on; hls_fragment 2; hls_window 10; hls_path ./objs/nginx/html; hls_m3u8_file [app]/[stream].m3u8; }
    http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }
    play { gop_cache off; queue_length 10; mw_latency 100; }
    forward { enabled on; destination 127.0.0.1:19350; }
    http_hooks { enabled on; on_publish http://127.0.0.1:8085/api/v1/streams; }
    security { enabled on; deny publish all; allow play all; }
    dvr { enabled on; dvr_path ./objs/nginx/html/[app]/[stream].[timestamp].flv; dvr_plan session; }
}
vhost example.com { enabled on; mix_correct on; atc on; refer a.com b.com; }
''')
for name, text in [('default-flv', '[vhost]/[app]/[stream].flv\n/live/livestream.flv\n/live/a/b.flv\n/x.flv'),
                   ('ts', '/[app]/[stream].ts\n/live/s.ts\n/live/s.flv'),
                   ('aac', '/live/[stream].aac\n/live/x.aac\n/live/.aac'),
                   ('playlist', '[app]/[stream].m3u8\n/live/livestream.m3u8\n/live/live-stream-1.ts')]:
    seed('http', 'MountFuzzTest', 'mountAndPath', name, text)
for name, text in [('vhost-in-app', 'rtmp://127.0.0.1:1935/live?vhost=v1\nlive?vhost=v1\nlivestream'),
                   ('vhost-in-stream', 'rtmp://host/live\nlive\nlivestream?token=abc&vhost=v2&domain=d'),
                   ('legacy-vhost', 'rtmp://host/live...vhost...v3\nlive...vhost...v3\ns'),
                   ('ipv6', 'rtmp://[::1]:1935/live/\n/live/\n?'),
                   ('bad-uri', 'rtmp://ho st/%zz\napp?&&=&a\nstream?vhost')]:
    seed('rtmp/impl', 'RtmpUrlFuzzTest', 'urlAndQuery', name, text)
