"""Captures an FFmpeg publish session for FfmpegCaptureTest: a scripted RTMP server (simple handshake,
canned connect/createStream/publish replies) that saves FFmpeg's C0+C1 and every byte after C2.

  python3 capture-ffmpeg-publish.py 19350 . &
  ffmpeg -re -t 1 -i h264-aac-640x360.flv -c copy -f flv rtmp://127.0.0.1:19350/live/s1
"""
import socket, struct, sys, os, time

def amf_str(s):
    b = s.encode(); return b'\x02' + struct.pack('>H', len(b)) + b
def amf_num(n): return b'\x00' + struct.pack('>d', n)
def amf_obj(d):
    out = b'\x03'
    for k, v in d.items():
        kb = k.encode(); out += struct.pack('>H', len(kb)) + kb
        out += amf_str(v) if isinstance(v, str) else amf_num(v)
    return out + b'\x00\x00\x09'
AMF_NULL = b'\x05'

def message(csid, type_id, stream_id, body, chunk=128):
    out = bytes([csid]) + b'\x00\x00\x00' + struct.pack('>I', len(body))[1:] + bytes([type_id]) + struct.pack('<I', stream_id)
    out += body[:chunk]
    for i in range(chunk, len(body), chunk):
        out += bytes([0xC0 | csid]) + body[i:i + chunk]
    return out

def read_exact(conn, n):
    buf = b''
    while len(buf) < n:
        b = conn.recv(n - len(buf))
        if not b: raise EOFError
        buf += b
    return buf

port = int(sys.argv[1]); outdir = sys.argv[2]
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', port)); srv.listen(1)
conn, _ = srv.accept()
c0c1 = read_exact(conn, 1537)
open(os.path.join(outdir, 'ffmpeg-c0c1.bin'), 'wb').write(c0c1)
s1 = struct.pack('>I', 0) + b'\x00' * 4 + os.urandom(1528)
conn.sendall(b'\x03' + s1 + c0c1[1:])
read_exact(conn, 1536)
data = b''
state = 'connect'
conn.settimeout(3)
deadline = time.time() + 10
try:
    while time.time() < deadline:
        b = conn.recv(65536)
        if not b: break
        data += b
        if state == 'connect' and b'\x02\x00\x07connect' in data:
            conn.sendall(message(2, 5, 0, struct.pack('>I', 2500000)) + message(2, 6, 0, struct.pack('>IB', 2500000, 2))
                         + message(2, 1, 0, struct.pack('>I', 60000))
                         + message(3, 20, 0, amf_str('_result') + amf_num(1) + amf_obj({'fmsVer': 'FMS/3,5,3,888', 'capabilities': 127.0, 'mode': 1.0})
                                   + amf_obj({'level': 'status', 'code': 'NetConnection.Connect.Success', 'description': 'Connection succeeded.', 'objectEncoding': 0.0}), 60000))
            state = 'createStream'
        if state == 'createStream' and b'\x02\x00\x0ccreateStream' in data:
            i = data.index(b'\x02\x00\x0ccreateStream') + 15
            txn = struct.unpack('>d', data[i + 1:i + 9])[0]
            conn.sendall(message(3, 20, 0, amf_str('_result') + amf_num(txn) + AMF_NULL + amf_num(1), 60000))
            state = 'publish'
        if state == 'publish' and b'\x02\x00\x07publish' in data:
            conn.sendall(message(5, 20, 1, amf_str('onStatus') + amf_num(0) + AMF_NULL
                                 + amf_obj({'level': 'status', 'code': 'NetStream.Publish.Start', 'description': 'Start publishing.'}), 60000))
            state = 'media'
        if len(data) > 150000: break
except socket.timeout:
    pass
open(os.path.join(outdir, 'ffmpeg-publish.bin'), 'wb').write(data)
print('captured', len(data), 'bytes; state', state)
conn.close()
