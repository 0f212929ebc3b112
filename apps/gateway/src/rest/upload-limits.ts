/** Uploaded FILE inputs larger than this are refused (kept in Postgres, so kept small); multer keeps uploads in memory. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
