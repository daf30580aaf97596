// Type declarations for the untyped decompression packages this folder uses (only what we call).
declare module 'lz4js' {
  const lz4js: {
    decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
    compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
    compressBound(n: number): number;
  };
  export default lz4js;
}

declare module 'seek-bzip' {
  export interface ByteSource {
    readByte(): number;
    read(buffer: Uint8Array, offset: number, length: number): number;
    seek(pos: number): void;
    eof(): boolean;
  }
  export interface ByteSink {
    writeByte(byte: number): void;
  }
  const Bunzip: {
    decode(input: ByteSource | Uint8Array, output?: ByteSink | number | Uint8Array, multistream?: boolean): Buffer | undefined;
  };
  export default Bunzip;
}

declare module 'compressjs' {
  const compressjs: { Bzip2: { compressFile(input: Uint8Array, output?: undefined, blockSizeMultiplier?: number): number[] | Uint8Array } };
  export default compressjs;
}
